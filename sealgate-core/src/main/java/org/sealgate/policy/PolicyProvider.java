package org.sealgate.policy;

import org.sealgate.keys.Addresses;

/** Resolves the policy that applies to a domain or an address. Implementations pick up changes without a restart. */
@FunctionalInterface
public interface PolicyProvider {
    DomainPolicy forDomain(String domain);

    /**
     * Every setting for one address (user entries, wildcard domains, the engine's settings). Providers that only
     * know domains answer with their domain policy and built-in values for the rest.
     */
    default PolicySettings settingsFor(String address) {
        return PolicySettings.of(forDomain(Addresses.domainOf(address)));
    }
}
