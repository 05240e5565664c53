package org.sealgate.keys.discovery;

import java.util.List;

/**
 * What a discovery found: validated keys, and one line per source (or refused candidate) saying why it gave nothing
 * usable, for the audit event. {@code fromCache} tells the second mail's look-up from the first's.
 */
public record DiscoveryResult(List<DiscoveredKey> keys, List<String> reasons, boolean fromCache) {
    public DiscoveryResult {
        keys = List.copyOf(keys);
        reasons = List.copyOf(reasons);
    }

    public static DiscoveryResult nothing(List<String> reasons) {
        return new DiscoveryResult(List.of(), reasons, false);
    }

    public boolean found() {
        return !keys.isEmpty();
    }

    public DiscoveryResult cached() {
        return new DiscoveryResult(keys, reasons, true);
    }
}
