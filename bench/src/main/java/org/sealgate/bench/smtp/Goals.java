package org.sealgate.bench.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The performance goals of issue 16 beside the figures that judge them: every scenario at concurrency 8 at least
 * {@link #RATIO_100KB}× its baseline's throughput at 100 KB and {@link #RATIO_1MB}× at 1 MB; Sealgate's own CPU per
 * 100 KB mail at most {@link #OWN_CPU_MS} ms for S/MIME encrypt and for inbound S/MIME decrypt + verify. A figure
 * from fewer than {@link BenchPlan#MEASURED_ROUNDS} rounds is shown but not judged.
 */
public final class Goals {
    public static final double RATIO_100KB = 0.85;
    public static final double RATIO_1MB = 0.75;
    public static final double OWN_CPU_MS = 2.0;
    private static final int HUNDRED_KB = 100 * 1024;

    private Goals() {
    }

    /**
     * One goal at one scenario and message size.
     *
     * @param met empty when the figure is missing or taken in too few rounds
     */
    public record Verdict(Scenario scenario, RunSpec spec, String goal, String figure, Optional<Boolean> met) {
        public String status() {
            return met.map(m -> m ? "met" : "NOT met").orElse("not judged");
        }
    }

    /** The goals that apply to these comparisons, in their order: the ratio for each, the CPU goal where it applies. */
    public static List<Verdict> judge(List<Comparisons.Comparison> comparisons) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Comparisons.Comparison c : comparisons) {
            double wanted = c.spec().shape().bytes() <= HUNDRED_KB ? RATIO_100KB : RATIO_1MB;
            verdicts.add(new Verdict(c.scenario(), c.spec(), "× baseline ≥ " + f2(wanted),
                c.ratio().map(r -> f2(r) + (c.rounds() > 1 ? " (" + f2(c.ratioMin().orElseThrow()) + "–"
                    + f2(c.ratioMax().orElseThrow()) + ")" : "")).orElse("–"),
                judged(c).flatMap(ok -> c.ratio()).map(r -> r >= wanted)));
            if (cpuGoalApplies(c)) {
                verdicts.add(new Verdict(c.scenario(), c.spec(), "own CPU ≤ " + f1(OWN_CPU_MS) + " ms/mail",
                    c.ownCpuMsPerMail().map(v -> f1(v) + " ms" + c.ownCpuWithoutJitMsPerMail()
                        .map(w -> " (without JIT " + f1(w) + " ms" + c.ownSpoolerMsPerMail()
                            .map(m -> "; in the spooler " + f2(m) + " ms").orElse("") + ", not judged)")
                        .orElse("")).orElse("–"),
                    judged(c).flatMap(ok -> c.ownCpuMsPerMail()).map(v -> v <= OWN_CPU_MS)));
            }
        }
        return List.copyOf(verdicts);
    }

    /** S/MIME encrypt and decrypt + verify, per 100 KB mail (the CPU goal). */
    static boolean cpuGoalApplies(Comparisons.Comparison c) {
        return (c.scenario() == Scenario.ENCRYPT || c.scenario() == Scenario.INBOUND_SMIME)
            && c.spec().shape().bytes() == HUNDRED_KB && !c.spec().shape().attachment();
    }

    private static Optional<Boolean> judged(Comparisons.Comparison c) {
        return c.rounds() >= BenchPlan.MEASURED_ROUNDS ? Optional.of(true) : Optional.empty();
    }

    /** The goals table of a run's results (Markdown), with how many goals were met. */
    public static String table(List<RunResult> results) {
        List<Verdict> verdicts = judge(Comparisons.of(results));
        StringBuilder out = new StringBuilder("| Scenario | Message | Conc. | Goal | Figure, median (min–max) | |\n")
            .append("|---|---|---:|---|---:|---|\n");
        for (Verdict v : verdicts) {
            out.append("| ").append(v.scenario().label()).append(" | ").append(v.spec().shape().label())
                .append(" | ").append(v.spec().concurrency()).append(" | ").append(v.goal())
                .append(" | ").append(v.figure()).append(" | ").append(v.status()).append(" |\n");
        }
        long met = verdicts.stream().filter(v -> v.met().orElse(false)).count();
        long judged = verdicts.stream().filter(v -> v.met().isPresent()).count();
        return out.append("\nGoals met: ").append(met).append(" of ").append(judged).append(" judged (")
            .append(verdicts.size()).append(" in all).\n").toString();
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
