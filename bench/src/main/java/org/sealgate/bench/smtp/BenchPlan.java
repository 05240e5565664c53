package org.sealgate.bench.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * The runs of one benchmark mode, the same for every scenario. Each run is taken {@code rounds} times, alternating
 * with the same run on the scenario's baseline (baseline, scenario, baseline, scenario, ...): on a shared machine
 * single runs spread by ±30 %, the median of per-round ratios much less ({@link Comparisons}).
 */
public record BenchPlan(String mode, List<Scenario> scenarios, List<RunSpec> runs, RunSpec warmUp, boolean verifyAll,
                        long probeGapMs, int rounds) {
    /** Rounds of the measured modes: the fewest that give a median and a spread. */
    public static final int MEASURED_ROUNDS = 3;

    public BenchPlan {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        scenarios = List.copyOf(scenarios);
        runs = List.copyOf(runs);
    }

    /**
     * quick: a check that every scenario delivers correct mail (inside {@code ./sealgate test}), one round, one
     * concurrency; medium and full: figures, {@link #MEASURED_ROUNDS} rounds.
     */
    public static BenchPlan of(String mode) {
        return switch (mode) {
            case "quick" -> new BenchPlan(mode, List.of(Scenario.values()),
                runs(List.of(new MessageShape(4 * 1024, false), new MessageShape(100 * 1024, false),
                    new MessageShape(100 * 1024, true)), List.of(8), 20, 20, 20, 3),
                new RunSpec(new MessageShape(4 * 1024, false), 4, 20, 0), true, 50, 1);
            case "medium" -> new BenchPlan(mode, List.of(Scenario.values()),
                runs(allShapes(), List.of(1, 8, 32), 300, 200, 40, 20),
                new RunSpec(new MessageShape(100 * 1024, false), 8, 200, 0), false, 100, MEASURED_ROUNDS);
            case "full" -> new BenchPlan(mode, List.of(Scenario.values()),
                runs(allShapes(), List.of(1, 8, 32), 1000, 500, 100, 40),
                new RunSpec(new MessageShape(100 * 1024, false), 8, 500, 0), false, 100, MEASURED_ROUNDS);
            default -> throw new IllegalArgumentException("mode must be quick, medium or full, got " + mode);
        };
    }

    /** The same plan restricted to these scenarios (in the plan's order). */
    public BenchPlan only(List<Scenario> wanted) {
        return new BenchPlan(mode, scenarios.stream().filter(wanted::contains).toList(), runs, warmUp, verifyAll,
            probeGapMs, rounds);
    }

    /** The same plan with another number of alternating rounds. */
    public BenchPlan withRounds(int count) {
        return new BenchPlan(mode, scenarios, runs, warmUp, verifyAll, probeGapMs, count);
    }

    /** Time allowed for one run, from first submission until every message has arrived. */
    public static long timeoutMs(RunSpec spec) {
        double megabytes = spec.shape().bytes() / (1024.0 * 1024.0);
        return 120_000 + (long) ((spec.messages() + spec.probes()) * (20 + 1_000 * megabytes));
    }

    private static List<MessageShape> allShapes() {
        List<MessageShape> shapes = new ArrayList<>();
        for (int bytes : new int[] {4 * 1024, 100 * 1024, 1024 * 1024}) {
            shapes.add(new MessageShape(bytes, false));
            shapes.add(new MessageShape(bytes, true));
        }
        return shapes;
    }

    /** Message counts per size class: up to 4 KB, up to 100 KB, larger. */
    private static List<RunSpec> runs(List<MessageShape> shapes, List<Integer> concurrencies, int small, int medium,
                                      int large, int probes) {
        List<RunSpec> runs = new ArrayList<>();
        for (MessageShape shape : shapes) {
            int count = shape.bytes() <= 4 * 1024 ? small : shape.bytes() <= 100 * 1024 ? medium : large;
            for (int concurrency : concurrencies) {
                runs.add(new RunSpec(shape, concurrency, count, Math.min(probes, Math.max(1, count / 5))));
            }
        }
        return List.copyOf(runs);
    }
}
