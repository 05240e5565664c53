package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a plan: for each scenario in turn a fresh data directory, a fresh smtp-sink and a node in its own JVM, one
 * untimed warm-up run, then every run of the plan against that node; the node is stopped after the scenario.
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
        for (Scenario scenario : plan.scenarios()) {
            results.addAll(runScenario(scenario));
        }
        return results;
    }

    private List<RunResult> runScenario(Scenario scenario) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve(scenario.name().toLowerCase(java.util.Locale.ROOT)));
        List<RunResult> results = new ArrayList<>();
        int sinkPort = Ports.free();
        log.accept("== " + scenario.label() + ": starting smtp-sink on " + sinkPort + " and the node");
        try (BenchFixture fixture = BenchFixture.create(dir.resolve("data"), scenario, Ports.free(), sinkPort);
             Sink sink = new Sink(sinkPort, dir.resolve("smtp-sink.log"));
             NodeProcess node = NodeProcess.start(fixture, nodeClasspath, dir.resolve("node.log"))) {
            LoadRun load = new LoadRun(scenario, fixture, node, sink, dir, plan.verifyAll(), plan.probeGapMs());
            RunResult warm = load.run(plan.warmUp(), BenchPlan.timeoutMs(plan.warmUp()));
            log.accept("   warm-up " + plan.warmUp().label() + ": " + describe(warm));
            if (!warm.ok()) {
                for (RunSpec spec : plan.runs()) {
                    results.add(skipped(scenario, spec, "warm-up failed: " + warm.failure().orElseThrow()));
                }
                return results;
            }
            for (RunSpec spec : plan.runs()) {
                RunResult result = load.run(spec, BenchPlan.timeoutMs(spec));
                log.accept("   " + spec.label() + ": " + describe(result));
                results.add(result);
                if (!node.alive()) {
                    break;
                }
            }
            sink.clear();
        }
        for (RunSpec spec : plan.runs().subList(results.size(), plan.runs().size())) {
            results.add(skipped(scenario, spec, "node died"));
        }
        return results;
    }

    private static RunResult skipped(Scenario scenario, RunSpec spec, String why) {
        return new RunResult(scenario, spec, 0, 0, 0, Optional.empty(), Optional.empty(), 0, 0, 0, 0, 0, Optional.of(why));
    }

    static String describe(RunResult r) {
        return String.format(java.util.Locale.ROOT, "%d/%d delivered, %.1f msg/s, p50 %s ms, %d checked%s%s",
            r.delivered(), r.sent(), r.messagesPerSecond(), r.latencyP50Ms().map(v -> String.format("%.0f", v)).orElse("-"),
            r.verified(), r.notices() > 0 ? ", " + r.notices() + " first-password mail(s) to the sender" : "",
            r.failure().map(f -> ", FAILED: " + f).orElse(""));
    }
}
