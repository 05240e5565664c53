package org.sealgate.policy;

/** Resolves the policy that applies to a domain. Implementations pick up changes without a restart. */
@FunctionalInterface
public interface PolicyProvider {
    DomainPolicy forDomain(String domain);
}
