package org.sealgate.keys.discovery;

import java.time.Duration;

/**
 * Finds a recipient's public keys (S/MIME certificates, OpenPGP certificates) at outside sources (WKD, key servers,
 * LDAP directories). James-free so the policy side can call it without knowing how sources are reached. Every
 * returned key has been validated like an imported one; the result says why sources gave nothing.
 */
public interface KeyDiscovery {

    /**
     * @param address the recipient
     * @param bound   the longest this call may take; sources still working when it is over are given up
     * @return the validated keys found (possibly none) and a reason for every source that gave nothing usable
     */
    DiscoveryResult discover(String address, Duration bound);

    /** Discovery switched off: finds nothing, instantly. */
    static KeyDiscovery none() {
        return (address, bound) -> DiscoveryResult.nothing(java.util.List.of("key discovery is off"));
    }
}
