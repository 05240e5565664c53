package org.sealgate.node;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's tally of stuck-mail findings by state and action, read by {@code /metrics}. Created by the node before
 * James (whose Guice graph holds the detector), so the metrics need no reach into Guice.
 */
public final class StuckMailCounts {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(StuckMailDetector.Report report) {
        counts.computeIfAbsent(report.state().word() + "/" + report.action(), k -> new LongAdder()).increment();
    }

    /** Findings so far, keyed {@code state/action} (e.g. {@code lost-from-cursor/requeued}). */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
