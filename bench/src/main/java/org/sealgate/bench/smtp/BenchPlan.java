package org.sealgate.bench.smtp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The runs of one benchmark mode, the same for every scenario. Each run is taken {@code rounds} times, alternating
 * with the same run on the scenario's baseline (baseline, scenario, baseline, scenario, ...): on a shared machine
 * single runs spread by ±30 %, the median of per-round ratios much less ({@link Comparisons}).
 */
public record BenchPlan(String mode, List<Scenario> scenarios, List<RunSpec> runs, RunSpec warmUp, boolean verifyAll,
                        long probeGapMs, int rounds) {
    /** Rounds of the measured modes: the fewest that give a median and a spread. */
    public static final int MEASURED_ROUNDS = 3;
    /**
     * The goals' warm-up per node (100 KB). A node keeps getting cheaper per mail for thousands of mails while its JIT
     * compiler works through the code (in 3-round profile runs of 3,020 mails each, an inbound S/MIME node's round 1
     * cost a third to three quarters more CPU per mail than its round 3, and the scenario, with more code to compile,
     * lagged its baseline); 300 mails judged young nodes.
     */
    static final int GOALS_WARM_UP_MAILS = 2000;

    public BenchPlan {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        scenarios = List.copyOf(scenarios);
        runs = List.copyOf(runs);
    }

    /**
     * quick: a check that every scenario delivers correct mail (inside {@code ./sealgate test}), one round, one
     * concurrency; medium and full: figures, {@link #MEASURED_ROUNDS} rounds; goals: only the points the issue's
     * goals are judged at ({@link Goals}: 100 KB and 1 MB at concurrency 8, every scenario but
     * {@link Scenario#PASSTHROUGH}, {@link #MEASURED_ROUNDS} rounds), for taking them on an idle machine in under half
     * an hour ({@link #estimate()}).
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
            // Runs long enough that filling and draining the node's queue weigh little in msg/s: at 1 MB the
            // baseline relays 100 mails in about a second while the scenario's queue holds 2-3 s of mail.
            case "goals" -> new BenchPlan(mode, Arrays.stream(Scenario.values()).filter(Scenario::judgedByGoals).toList(),
                runs(List.of(new MessageShape(100 * 1024, false), new MessageShape(1024 * 1024, false)), List.of(8),
                    800, 800, 200, 20),
                new RunSpec(new MessageShape(100 * 1024, false), 8, GOALS_WARM_UP_MAILS, 0), false, 100,
                MEASURED_ROUNDS);
            default -> throw new IllegalArgumentException("mode must be quick, medium, full or goals, got " + mode);
        };
    }

    /**
     * The untimed run that warms a node up for {@code run}'s message size before that size's first round, empty when
     * the plan's warm-up already used that size or in quick mode (a correctness check, not figures). Each size has
     * code of its own to compile (larger buffers, other branches): without it the first 1 MB round paid the JIT
     * compiler for it.
     */
    public Optional<RunSpec> warmUpFor(RunSpec run) {
        if (mode.equals("quick") || run.shape().equals(warmUp.shape())) {
            return Optional.empty();
        }
        return Optional.of(new RunSpec(run.shape(), run.concurrency(), run.messages(), 0));
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

    /** Seconds to start a node (James, and ZooKeeper for GINA) and to set up or check a run, idle machine. */
    static final int NODE_START_SECONDS = 20;
    static final int RUN_OVERHEAD_SECONDS = 3;

    /**
     * Roughly how long the plan takes on an idle 2-core machine: every node the harness starts ({@link BenchHarness}:
     * one per scenario, one baseline per change of baseline or load), their warm-ups, and every run of every round
     * on both sides, at throughputs a little below the full-mode run of 2026-11-27 (docs/benchmarks/history.md:
     * 120 msg/s up to 100 KB, 45 msg/s at 1 MB), plus a few seconds per run. A loaded machine takes several times as
     * long; the runs' own timeouts ({@link #timeoutMs}) bound it.
     */
    public Duration estimate() {
        List<Scenario> measured = scenarios.stream().filter(s -> !s.isBaseline()).toList();
        int nodes = measured.isEmpty() ? scenarios.size() : measured.size();
        Scenario baseline = null;
        Scenario.Load load = null;
        for (Scenario scenario : measured) {
            if (scenario.baseline() != baseline || scenario.load() != load) {
                nodes++;
                baseline = scenario.baseline();
                load = scenario.load();
            }
        }
        double seconds = nodes * (NODE_START_SECONDS + runSeconds(warmUp));
        int sides = measured.isEmpty() ? scenarios.size() : 2 * measured.size();
        for (RunSpec run : runs) {
            seconds += (double) sides * rounds * runSeconds(run);
            seconds += warmUpFor(run).map(warm -> sides * runSeconds(warm)).orElse(0.0);
        }
        return Duration.ofSeconds(Math.round(seconds));
    }

    private static double runSeconds(RunSpec run) {
        double rate = run.shape().bytes() <= 100 * 1024 ? 120 : 45;
        return (run.messages() + run.probes()) / rate + RUN_OVERHEAD_SECONDS;
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
