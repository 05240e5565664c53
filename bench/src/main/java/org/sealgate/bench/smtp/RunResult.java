package org.sealgate.bench.smtp;

import java.util.Optional;

/**
 * What one run measured.
 *
 * @param sent            messages submitted (smtp-source load plus probes)
 * @param delivered       messages that arrived at the sink
 * @param seconds         first submission to last arrival
 * @param latencyP50Ms    probes' submission-to-arrival latency, median (empty when no probe was sent)
 * @param latencyP99Ms    the same, 99th percentile (nearest rank; with few probes this is their maximum)
 * @param probes          probes measured
 * @param cpuSecondsPerMessage node process user+system CPU during the run, divided by {@code sent}
 * @param jitSecondsPerMessage the part of it spent by the JVM's JIT compiler threads (a one-off cost of a node's first
 *                        thousands of mails, which a short benchmark run still pays)
 * @param spoolerSecondsPerMessage the part of it spent by James's spooler threads, where every mailet runs: the mail
 *                        pipeline's own CPU, apart from SMTP, delivery, the queue, GC and the JIT compiler
 * @param peakRssMb       node's VmHWM during the run (reset before the run through /proc/PID/clear_refs when allowed)
 * @param verified        messages checked at the sink (encrypted scenarios: application/pkcs7-mime that decrypts)
 * @param notices         mails to the sender besides the load, each checked (GINA's first-password mail, first run only)
 * @param failure         why the run failed (timeout, lost or undecryptable mail), empty when it succeeded
 * @param round           which of the alternating rounds (1-based) this run belongs to; a scenario's run and its
 *                        baseline's run of the same round were taken one right after the other
 * @param pairedWith      the scenario this run is compared with: for a baseline's run the scenario it alternated
 *                        with, for a scenario's run the scenario itself
 */
public record RunResult(Scenario scenario, RunSpec spec, int sent, int delivered, double seconds,
                        Optional<Double> latencyP50Ms, Optional<Double> latencyP99Ms, int probes,
                        double cpuSecondsPerMessage, double jitSecondsPerMessage, double spoolerSecondsPerMessage,
                        double peakRssMb, int verified, int notices,
                        Optional<String> failure, int round, Scenario pairedWith) {
    public double messagesPerSecond() {
        return seconds > 0 ? delivered / seconds : 0;
    }

    public boolean ok() {
        return failure.isEmpty();
    }
}
