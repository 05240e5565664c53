package org.sealgate.routes.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.sealgate.keys.discovery.DiscoveryResult;

/**
 * Discovery results per address: a found key for the positive TTL, "nothing found" for the (shorter) negative
 * TTL, so mail to an address without published keys does not query every source each time. Bounded in size
 * (oldest entries go first), thread-safe.
 */
public final class DiscoveryCache {
    private final Duration positiveTtl;
    private final Duration negativeTtl;
    private final int maxEntries;
    private final Clock clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private record Entry(DiscoveryResult result, Instant expires) {
    }

    public DiscoveryCache(Duration positiveTtl, Duration negativeTtl, int maxEntries, Clock clock) {
        this.positiveTtl = positiveTtl;
        this.negativeTtl = negativeTtl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    public synchronized Optional<DiscoveryResult> get(String address) {
        Entry entry = entries.get(address);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(address);
            return Optional.empty();
        }
        return Optional.of(entry.result().cached());
    }

    public synchronized void put(String address, DiscoveryResult result) {
        Duration ttl = result.found() ? positiveTtl : negativeTtl;
        entries.remove(address);
        entries.put(address, new Entry(result, clock.instant().plus(ttl)));
        Iterator<String> oldest = entries.keySet().iterator();
        while (entries.size() > maxEntries && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Drops expired entries (the scheduled eviction job calls this). */
    public synchronized int evictExpired() {
        Instant now = clock.instant();
        int before = entries.size();
        entries.values().removeIf(entry -> !now.isBefore(entry.expires()));
        return before - entries.size();
    }

    public synchronized int size() {
        return entries.size();
    }
}
