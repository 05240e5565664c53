package org.sealgate.policy;

import java.util.Optional;

/** Resolves the policy settings that apply to an address or a domain. Implementations pick up changes without a restart. */
public interface PolicyProvider {
    /** Every setting for one address: its user scope, its domain's scopes, the defaults, the built-in values. */
    PolicySettings settingsFor(String address);

    /** The settings for a domain as a whole (no user scope applies); {@code ""} gives the defaults. */
    PolicySettings settingsForDomain(String domain);

    /**
     * Why no mail may be decided now, naming the cause: the node has no configuration it can trust (a policy file
     * that never loaded, a cluster node that never read its document). While present, the node takes no mail
     * (451 at SMTP) and holds what is queued; it never falls back to built-in defaults. Empty while a policy is in
     * force.
     */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /** The built-in values for everyone (mailets built without a policy, tests). */
    static PolicyProvider builtIn() {
        return PolicyRules.EMPTY;
    }
}
