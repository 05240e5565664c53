package org.sealgate.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The node's CPU read from /proc, with the JIT compiler's threads told apart. */
class ProcStatsTest {

    @Test
    void compilerThreadsShouldBeFoundInARunningJvmAndUseLessThanTheWholeProcess() throws Exception {
        long pid = ProcessHandle.current().pid();

        Map<Long, Double> compilers = ProcStats.compilerThreadSeconds(pid);

        // This test's own JVM compiles with C1 and C2 (tiered, the default the nodes run with too).
        assertThat(compilers).isNotEmpty();
        assertThat(compilers.values()).allSatisfy(seconds -> assertThat(seconds).isNotNegative());
        assertThat(compilers.values().stream().mapToDouble(Double::doubleValue).sum())
            .isLessThanOrEqualTo(ProcStats.cpuSeconds(pid));
    }

    @Test
    void spoolerThreadsShouldBeFoundByNameWithTheCpuTheyUsed() throws Exception {
        long pid = ProcessHandle.current().pid();
        Map<Long, Double> before = ProcStats.spoolerThreadSeconds(pid);
        java.util.concurrent.atomic.AtomicLong spin = new java.util.concurrent.atomic.AtomicLong();
        // Named as James names its spooler threads; busy for about 300 ms of CPU (bounded by wall time too).
        Thread spooler = new Thread(() -> {
            long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart < 300_000_000L
                && System.nanoTime() < deadline) {
                spin.incrementAndGet();
            }
        }, "spooler-7");
        spooler.start();
        Thread.sleep(100);
        Map<Long, Double> during = ProcStats.spoolerThreadSeconds(pid);
        spooler.join();

        assertThat(during).hasSizeGreaterThan(before.size());
        assertThat(ProcStats.compilerThreadSeconds(pid).keySet()).doesNotContainAnyElementsOf(during.keySet());
        assertThat(ProcStats.secondsBetween(before, during)).isLessThanOrEqualTo(ProcStats.cpuSeconds(pid));
    }

    @Test
    void compilerSecondsShouldCountNewThreadsWholeAndEndedThreadsNotAtAll() {
        Map<Long, Double> before = Map.of(10L, 1.0, 11L, 2.0, 12L, 5.0);
        // Thread 10 compiled 0.5 s more, 11 nothing, 12 ended, 13 started and used 0.25 s.
        Map<Long, Double> after = Map.of(10L, 1.5, 11L, 2.0, 13L, 0.25);

        assertThat(ProcStats.secondsBetween(before, after)).isCloseTo(0.75, within(1e-9));
    }
}
