package org.sealgate.bench.smtp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Robust figures from alternating runs: for each scenario and run shape, the rounds in which both the scenario's run
 * and its baseline's run (taken right before it) succeeded are paired; the ratio is the median of the per-round
 * ratios with their spread, and Sealgate's own CPU per mail is the median of the per-round differences of node CPU
 * per mail (scenario minus baseline), shown also without the JIT compiler's share (what a node that has run for a while
 * pays per mail). Pairing by round, not medians of each side, keeps a slow moment of the shared
 * machine from landing on one side only.
 */
public final class Comparisons {
    private Comparisons() {
    }

    /**
     * One scenario at one run shape over its rounds. Empty optionals when no round had both runs succeed.
     *
     * @param rounds             rounds in which both runs succeeded
     * @param failedRounds       rounds in which either run failed (not in the figures)
     * @param ratio              median of scenario msg/s ÷ baseline msg/s per round
     * @param ratioMin           the smallest per-round ratio
     * @param ratioMax           the largest per-round ratio
     * @param messagesPerSecond  the scenario's median msg/s
     * @param baselinePerSecond  the baseline's median msg/s (same rounds)
     * @param cpuMsPerMail       the scenario node's median CPU ms per mail (user + system)
     * @param baselineCpuMsPerMail the baseline node's median CPU ms per mail
     * @param ownCpuMsPerMail    median per round of (scenario − baseline) CPU ms per mail: Sealgate's own cost
     * @param jitMsPerMail       the scenario node's median JIT compiler CPU ms per mail (part of {@code cpuMsPerMail})
     * @param baselineJitMsPerMail the baseline node's median JIT compiler CPU ms per mail
     * @param ownCpuWithoutJitMsPerMail median per round of (scenario − baseline) CPU ms per mail, each side without its
     *                           JIT compiler threads: Sealgate's own cost once the code is compiled
     * @param ownSpoolerMsPerMail median per round of (scenario − baseline) CPU ms per mail of James's spooler threads
     *                           alone: what Sealgate's mailets cost, with far less of the whole node's noise (GC, JIT,
     *                           SMTP, queue), though without the GC and audit writing they cause
     */
    public record Comparison(Scenario scenario, RunSpec spec, int rounds, int failedRounds, Optional<Double> ratio,
                             Optional<Double> ratioMin, Optional<Double> ratioMax, Optional<Double> messagesPerSecond,
                             Optional<Double> baselinePerSecond, Optional<Double> cpuMsPerMail,
                             Optional<Double> baselineCpuMsPerMail, Optional<Double> ownCpuMsPerMail,
                             Optional<Double> jitMsPerMail, Optional<Double> baselineJitMsPerMail,
                             Optional<Double> ownCpuWithoutJitMsPerMail, Optional<Double> ownSpoolerMsPerMail) {
    }

    /** Every non-baseline scenario's comparison with its own baseline, per run shape, in the order of the results. */
    public static List<Comparison> of(List<RunResult> results) {
        Map<String, Comparison> out = new LinkedHashMap<>();
        for (RunResult r : results) {
            if (r.scenario().isBaseline()) {
                continue;
            }
            out.computeIfAbsent(r.scenario().name() + "|" + r.spec(), key -> compare(r.scenario(), r.spec(), results));
        }
        return List.copyOf(out.values());
    }

    static Comparison compare(Scenario scenario, RunSpec spec, List<RunResult> results) {
        List<Double> ratios = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<Double> baseRates = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> baseCpu = new ArrayList<>();
        List<Double> own = new ArrayList<>();
        List<Double> jit = new ArrayList<>();
        List<Double> baseJit = new ArrayList<>();
        List<Double> ownWithoutJit = new ArrayList<>();
        List<Double> ownSpooler = new ArrayList<>();
        int failed = 0;
        for (RunResult r : results) {
            if (r.scenario() != scenario || !r.spec().equals(spec)) {
                continue;
            }
            Optional<RunResult> base = baselineOf(r, results);
            if (!r.ok() || base.isEmpty() || !base.get().ok() || base.get().messagesPerSecond() <= 0) {
                failed++;
                continue;
            }
            RunResult b = base.get();
            ratios.add(r.messagesPerSecond() / b.messagesPerSecond());
            rates.add(r.messagesPerSecond());
            baseRates.add(b.messagesPerSecond());
            cpu.add(r.cpuSecondsPerMessage() * 1000);
            baseCpu.add(b.cpuSecondsPerMessage() * 1000);
            own.add((r.cpuSecondsPerMessage() - b.cpuSecondsPerMessage()) * 1000);
            jit.add(r.jitSecondsPerMessage() * 1000);
            baseJit.add(b.jitSecondsPerMessage() * 1000);
            ownWithoutJit.add(((r.cpuSecondsPerMessage() - r.jitSecondsPerMessage())
                - (b.cpuSecondsPerMessage() - b.jitSecondsPerMessage())) * 1000);
            ownSpooler.add((r.spoolerSecondsPerMessage() - b.spoolerSecondsPerMessage()) * 1000);
        }
        return new Comparison(scenario, spec, ratios.size(), failed, median(ratios),
            ratios.stream().min(Double::compare), ratios.stream().max(Double::compare), median(rates),
            median(baseRates), median(cpu), median(baseCpu), median(own), median(jit), median(baseJit),
            median(ownWithoutJit), median(ownSpooler));
    }

    /** The baseline run of the same shape and round as {@code r}, against the scenario's own baseline. */
    static Optional<RunResult> baselineOf(RunResult r, List<RunResult> results) {
        return results.stream()
            .filter(b -> b.scenario() == r.scenario().baseline() && b.spec().equals(r.spec()) && b.round() == r.round()
                && b.pairedWith() == r.scenario())
            .findFirst();
    }

    /** The median (mean of the middle two for an even count), empty for no values. */
    public static Optional<Double> median(List<Double> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return Optional.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }
}
