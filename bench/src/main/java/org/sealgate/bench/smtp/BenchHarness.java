package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a plan: for each scenario a fresh data directory, smtp-sink and node in its own JVM, and beside it the same
 * for the scenario's relay-only baseline; one untimed warm-up run on each (and one more for each other message size,
 * {@link BenchPlan#warmUpFor}), then every run of the plan
 * {@link BenchPlan#rounds()} times, alternating baseline and scenario (baseline, scenario, baseline, ...), so that
 * both sides see the same moments of a shared machine. A plan of
 * baselines only runs each baseline alone.
 */
public final class BenchHarness {
    private final BenchPlan plan;
    private final Path work;
    private final String nodeClasspath;
    private final Consumer<String> log;

    public BenchHarness(BenchPlan plan, Path work, String nodeClasspath, Consumer<String> log) {
        this.plan = plan;
        this.work = work;
        this.nodeClasspath = nodeClasspath;
        this.log = log;
    }

    public List<RunResult> run() throws IOException, InterruptedException {
        List<RunResult> results = new ArrayList<>();
        List<Scenario> measured = plan.scenarios().stream().filter(s -> !s.isBaseline()).toList();
        if (measured.isEmpty()) {
            for (Scenario baseline : plan.scenarios()) {
                results.addAll(runScenario(baseline, null));
            }
        }
        // Each scenario gets a baseline node of its own, started and warmed up beside it: a baseline node shared
        // by the scenarios in a row kept getting cheaper per mail (its heap grown, its code hot) while each scenario
        // node started fresh, so the later scenarios of a run were measured against an ever older baseline (relay-only
        // CPU per 100 KB mail fell from 29.5 to 14.5 ms across the outbound scenarios of one goals run).
        for (Scenario scenario : measured) {
            try (Side base = Side.start(scenario.baseline(), scenario.load(),
                work.resolve(scenario.name().toLowerCase(java.util.Locale.ROOT)).resolve("baseline"),
                nodeClasspath, plan, log)) {
                Optional<String> warm = base.warmUp(plan, log);
                if (warm.isPresent()) {
                    base.warmFailure = warm;
                }
                results.addAll(runScenario(scenario, base));
            }
        }
        return results;
    }

    /** One scenario, alternating with its baseline's node when given. */
    private List<RunResult> runScenario(Scenario scenario, Side base) throws IOException, InterruptedException {
        List<RunResult> results = new ArrayList<>();
        Path dir = Files.createDirectories(work.resolve(scenario.name().toLowerCase(java.util.Locale.ROOT)));
        try (Side side = Side.start(scenario, scenario.load(), dir, nodeClasspath, plan, log)) {
            Optional<String> warmFailure = base != null && base.warmFailure.isPresent() ? base.warmFailure
                : side.warmUp(plan, log);
            for (RunSpec spec : plan.runs()) {
                Optional<RunSpec> sizeWarmUp = plan.warmUpFor(spec);
                if (sizeWarmUp.isPresent() && warmFailure.isEmpty()) {
                    if (base != null) {
                        warmFailure = base.warmUp(sizeWarmUp.get(), log);
                    }
                    if (warmFailure.isEmpty()) {
                        warmFailure = side.warmUp(sizeWarmUp.get(), log);
                    }
                }
                for (int round = 1; round <= plan.rounds(); round++) {
                    if (warmFailure.isPresent()) {
                        results.addAll(skipped(scenario, base, spec, round, "warm-up failed: " + warmFailure.get()));
                    } else if (!side.node.alive() || (base != null && !base.node.alive())) {
                        results.addAll(skipped(scenario, base, spec, round, "node died"));
                    } else {
                        if (base != null) {
                            results.add(base.run(spec, round, scenario, log));
                        }
                        results.add(side.run(spec, round, scenario, log));
                    }
                }
            }
        }
        return results;
    }

    private static List<RunResult> skipped(Scenario scenario, Side base, RunSpec spec, int round, String why) {
        List<RunResult> out = new ArrayList<>();
        if (base != null) {
            out.add(skipped(base.scenario, spec, round, scenario, why));
        }
        out.add(skipped(scenario, spec, round, scenario, why));
        return out;
    }

    private static RunResult skipped(Scenario scenario, RunSpec spec, int round, Scenario pairedWith, String why) {
        return new RunResult(scenario, spec, 0, 0, 0, Optional.empty(), Optional.empty(), 0, 0, 0, 0, 0, 0, 0, Optional.of(why),
            round, pairedWith);
    }

    /** One node under test with its fixture and sink. */
    private static final class Side implements AutoCloseable {
        private final Scenario scenario;
        private final BenchFixture fixture;
        private final Sink sink;
        private final NodeProcess node;
        private final LoadRun load;
        /** Why the baseline's warm-up failed, if it did (its scenario is then skipped). */
        private Optional<String> warmFailure = Optional.empty();

        private Side(Scenario scenario, BenchFixture fixture, Sink sink, NodeProcess node, LoadRun load) {
            this.scenario = scenario;
            this.fixture = fixture;
            this.sink = sink;
            this.node = node;
            this.load = load;
        }

        static Side start(Scenario scenario, Scenario.Load load, Path dir, String classpath, BenchPlan plan,
                          Consumer<String> log) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            int sinkPort = Ports.free();
            log.accept("== " + scenario.label() + ": starting smtp-sink on " + sinkPort + " and the node");
            BenchFixture fixture = BenchFixture.create(dir.resolve("data"), scenario, load, Ports.free(), sinkPort);
            Sink sink = null;
            try {
                sink = new Sink(sinkPort, dir.resolve("smtp-sink.log"));
                NodeProcess node = NodeProcess.start(fixture, classpath, dir.resolve("node.log"));
                return new Side(scenario, fixture, sink, node,
                    new LoadRun(scenario, fixture, node, sink, dir, plan.verifyAll(), plan.probeGapMs()));
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (sink != null) {
                    sink.close();
                }
                fixture.close();
                throw e;
            }
        }

        Optional<String> warmUp(BenchPlan plan, Consumer<String> log) throws IOException, InterruptedException {
            return warmUp(plan.warmUp(), log);
        }

        Optional<String> warmUp(RunSpec spec, Consumer<String> log) throws IOException, InterruptedException {
            RunResult warm = load.run(spec, BenchPlan.timeoutMs(spec), 0, scenario);
            log.accept("   " + scenario.label() + " warm-up " + spec.label() + ": " + describe(warm));
            return warm.failure();
        }

        RunResult run(RunSpec spec, int round, Scenario pairedWith, Consumer<String> log)
            throws IOException, InterruptedException {
            RunResult result = load.run(spec, BenchPlan.timeoutMs(spec), round, pairedWith);
            log.accept("   " + scenario.label() + " " + spec.label() + " round " + round + ": " + describe(result));
            return result;
        }

        @Override
        public void close() throws IOException {
            // The node first (it relays to the sink), then the sink, then the fixture's ZooKeeper, if any.
            try (BenchFixture f = fixture; Sink s = sink) {
                node.close();
                sink.clear();
            }
        }
    }

    static String describe(RunResult r) {
        return String.format(java.util.Locale.ROOT, "%d/%d delivered, %.1f msg/s, p50 %s ms, %d checked%s%s",
            r.delivered(), r.sent(), r.messagesPerSecond(), r.latencyP50Ms().map(v -> String.format("%.0f", v)).orElse("-"),
            r.verified(), r.notices() > 0 ? ", " + r.notices() + " first-password mail(s) to the sender" : "",
            r.failure().map(f -> ", FAILED: " + f).orElse(""));
    }
}
