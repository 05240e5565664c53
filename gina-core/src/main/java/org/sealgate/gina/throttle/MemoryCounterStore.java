package org.sealgate.gina.throttle;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Counters in this JVM only (single-process tools and tests); same version semantics as ZooKeeper. */
final class MemoryCounterStore implements CounterStore {
    private final ConcurrentMap<String, Versioned> counters = new ConcurrentHashMap<>();

    @Override
    public Optional<Versioned> read(String key) {
        return Optional.ofNullable(counters.get(key));
    }

    @Override
    public boolean write(String key, int expectedVersion, Counter counter) {
        if (expectedVersion < 0) {
            return counters.putIfAbsent(key, new Versioned(counter, 0)) == null;
        }
        Versioned current = counters.get(key);
        return current != null && current.version() == expectedVersion
            && counters.replace(key, current, new Versioned(counter, expectedVersion + 1));
    }

    @Override
    public void delete(String key) {
        counters.remove(key);
    }

    @Override
    public int deleteWrittenBefore(java.time.Instant cutoff) {
        int before = counters.size();
        counters.values().removeIf(v -> v.counter().updated().isBefore(cutoff));
        return before - counters.size();
    }
}
