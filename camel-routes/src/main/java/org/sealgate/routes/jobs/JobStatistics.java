package org.sealgate.routes.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Runs, failures and ticks skipped because this node did not lead, per job name; for /metrics and the tests. */
public final class JobStatistics {
    private final Map<String, AtomicLong> runs = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> skipped = new ConcurrentHashMap<>();

    void recordRun(String job) {
        runs.computeIfAbsent(job, k -> new AtomicLong()).incrementAndGet();
    }

    void recordFailure(String job) {
        failures.computeIfAbsent(job, k -> new AtomicLong()).incrementAndGet();
    }

    void recordSkip(String job) {
        skipped.computeIfAbsent(job, k -> new AtomicLong()).incrementAndGet();
    }

    public long runs(String job) {
        return count(runs, job);
    }

    public long failures(String job) {
        return count(failures, job);
    }

    public long skipped(String job) {
        return count(skipped, job);
    }

    private static long count(Map<String, AtomicLong> counts, String job) {
        AtomicLong count = counts.get(job);
        return count == null ? 0 : count.get();
    }
}
