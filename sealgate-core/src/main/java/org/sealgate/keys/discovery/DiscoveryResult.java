package org.sealgate.keys.discovery;

import java.util.List;

/**
 * What a discovery found: validated keys, and one line per source (or refused candidate) saying why it gave nothing
 * usable, for the audit event. {@code fromCache} tells the second mail's look-up from the first's. {@code refused}
 * holds OpenPGP keys for the address that a source published revoked or expired: never used, but a stored copy of the
 * same key learns its revocation from them.
 */
public record DiscoveryResult(List<DiscoveredKey> keys, List<String> reasons, boolean fromCache,
                              List<DiscoveredKey> refused) {
    public DiscoveryResult {
        keys = List.copyOf(keys);
        reasons = List.copyOf(reasons);
        refused = List.copyOf(refused);
    }

    public DiscoveryResult(List<DiscoveredKey> keys, List<String> reasons, boolean fromCache) {
        this(keys, reasons, fromCache, List.of());
    }

    public static DiscoveryResult nothing(List<String> reasons) {
        return new DiscoveryResult(List.of(), reasons, false);
    }

    public boolean found() {
        return !keys.isEmpty();
    }

    public DiscoveryResult cached() {
        return new DiscoveryResult(keys, reasons, true, refused);
    }
}
