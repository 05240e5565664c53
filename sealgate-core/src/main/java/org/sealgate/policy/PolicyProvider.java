package org.sealgate.policy;

import java.util.Optional;

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

    /**
     * Why no mail may be decided now, naming the cause: the node has no configuration it can trust (a policy file
     * that never loaded, a cluster node that never read its document). While present, the node takes no mail
     * (451 at SMTP) and holds what is queued; it never falls back to built-in defaults. Empty while a policy is in
     * force.
     */
    default Optional<String> unavailable() {
        return Optional.empty();
    }
}
