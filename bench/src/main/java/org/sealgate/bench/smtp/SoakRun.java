package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The memory check: one scenario under steady load for a fixed time (batches of smtp-source runs, every message
 * awaited at the sink), sampling the node's retained heap (after a full GC) and RSS at fixed intervals. Memory is
 * called flat when the retained heap of the last third of the samples is within {@link #FLAT_TOLERANCE_MB} (or 10 %)
 * of the first third's, after the warm-up.
 */
public final class SoakRun {
    static final double FLAT_TOLERANCE_MB = 16;

    /** One sample: seconds since the load started, messages delivered so far, retained heap and RSS in MB. */
    public record Sample(double seconds, long delivered, double retainedHeapMb, double rssMb) {
    }

    /** What the run found; {@code failures} lists every batch that lost, delayed or mis-encrypted mail. */
    public record Result(Scenario scenario, RunSpec batch, Duration duration, List<Sample> samples, long sent,
                         long delivered, List<String> failures) {
        public boolean ok() {
            return failures.isEmpty() && sent == delivered && samples.size() >= 3;
        }

        /** Average retained heap of the first and of the last third of the samples. */
        public double[] thirds() {
            int third = Math.max(1, samples.size() / 3);
            return new double[] {average(samples.subList(0, third)),
                average(samples.subList(samples.size() - third, samples.size()))};
        }

        /** Least-squares slope of retained heap over time, MB per minute. */
        public double slopeMbPerMinute() {
            double n = samples.size();
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            for (Sample s : samples) {
                double x = s.seconds() / 60.0;
                sx += x;
                sy += s.retainedHeapMb();
                sxx += x * x;
                sxy += x * s.retainedHeapMb();
            }
            double denominator = n * sxx - sx * sx;
            return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
        }

        public boolean flat() {
            double[] thirds = thirds();
            return thirds[1] - thirds[0] <= Math.max(FLAT_TOLERANCE_MB, 0.10 * thirds[0]);
        }

        private static double average(List<Sample> list) {
            return list.stream().mapToDouble(Sample::retainedHeapMb).average().orElse(0);
        }
    }

    private final Scenario scenario;
    private final Duration duration;
    private final Duration interval;
    private final int batchMessages;
    private final Path work;
    private final String nodeClasspath;
    private final Consumer<String> log;

    /**
     * @param batchMessages messages per smtp-source batch (1000 by hand; small in the test); the warm-up is half that
     */
    public SoakRun(Scenario scenario, Duration duration, Duration interval, int batchMessages, Path work,
                   String nodeClasspath, Consumer<String> log) {
        this.scenario = scenario;
        this.duration = duration;
        this.interval = interval;
        this.batchMessages = batchMessages;
        this.work = work;
        this.nodeClasspath = nodeClasspath;
        this.log = log;
    }

    public Result run() throws IOException, InterruptedException {
        MessageShape shape = new MessageShape(100 * 1024, false);
        RunSpec warmUp = new RunSpec(shape, 8, Math.max(1, batchMessages / 2), 0);
        RunSpec batch = new RunSpec(shape, 8, batchMessages, 0);
        Path dir = Files.createDirectories(work.resolve("soak-" + scenario.name().toLowerCase(Locale.ROOT)));
        int sinkPort = Ports.free();
        List<String> failures = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        long sent = 0;
        long delivered = 0;
        try (BenchFixture fixture = BenchFixture.create(dir.resolve("data"), scenario, Ports.free(), sinkPort);
             Sink sink = new Sink(sinkPort, dir.resolve("smtp-sink.log"));
             NodeProcess node = NodeProcess.start(fixture, nodeClasspath, dir.resolve("node.log"))) {
            LoadRun load = new LoadRun(scenario, fixture, node, sink, dir, false, 100);
            RunResult warm = load.run(warmUp, BenchPlan.timeoutMs(warmUp), 0, scenario);
            log.accept("   soak warm-up: " + BenchHarness.describe(warm));
            warm.failure().ifPresent(f -> failures.add("warm-up: " + f));
            long start = System.currentTimeMillis();
            long end = start + duration.toMillis();
            samples.add(sample(node, start, 0));
            long nextSample = start + interval.toMillis();
            while (failures.isEmpty() && System.currentTimeMillis() < end && node.alive()) {
                RunResult result = load.run(batch, BenchPlan.timeoutMs(batch), 0, scenario);
                sent += result.sent();
                delivered += result.delivered();
                result.failure().ifPresent(f -> failures.add("batch at " + (System.currentTimeMillis() - start) / 1000
                    + " s: " + f));
                if (System.currentTimeMillis() >= nextSample) {
                    Sample s = sample(node, start, delivered);
                    samples.add(s);
                    log.accept(String.format(Locale.ROOT, "   soak %4.0f s: %d delivered, %.1f msg/s in the last batch, "
                        + "retained heap %.1f MB, RSS %.0f MB", s.seconds(), delivered, result.messagesPerSecond(),
                        s.retainedHeapMb(), s.rssMb()));
                    nextSample = System.currentTimeMillis() + interval.toMillis();
                }
            }
            if (!node.alive()) {
                failures.add("node died");
            } else {
                samples.add(sample(node, start, delivered));
            }
        }
        return new Result(scenario, batch, duration, List.copyOf(samples), sent, delivered, List.copyOf(failures));
    }

    private static Sample sample(NodeProcess node, long start, long delivered) throws IOException, InterruptedException {
        double heap = HeapProbe.retainedMb(node.pid());
        return new Sample((System.currentTimeMillis() - start) / 1000.0, delivered, heap, ProcStats.rssMb(node.pid()));
    }

    /** The Markdown section for the benchmark history: verdict, then every sample. */
    public static String report(Result r) {
        double[] thirds = r.thirds();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "- Scenario: %s, %s, concurrency %d, batches of %d messages for %s; "
                + "retained heap = heap used after `jcmd PID GC.run` (full GC), sampled between batches.%n",
            r.scenario().label(), r.batch().shape().label(), r.batch().concurrency(), r.batch().messages(),
            r.duration().toSeconds() % 60 == 0 ? r.duration().toMinutes() + " min" : r.duration().toSeconds() + " s"));
        out.append(String.format(Locale.ROOT, "- Messages: %d sent, %d delivered%s.%n", r.sent(), r.delivered(),
            r.failures().isEmpty() ? "" : "; FAILED: " + String.join("; ", r.failures())));
        out.append(String.format(Locale.ROOT, "- Retained heap: first third %.1f MB, last third %.1f MB, slope %+.2f MB/min "
                + "→ **%s** (flat = last third within max(%.0f MB, 10 %%) of the first).%n%n", thirds[0], thirds[1],
            r.slopeMbPerMinute(), r.flat() ? "flat" : "GROWING", FLAT_TOLERANCE_MB));
        out.append("| Time s | Delivered | Retained heap MB | RSS MB |\n|---:|---:|---:|---:|\n");
        for (Sample s : r.samples()) {
            out.append(String.format(Locale.ROOT, "| %.0f | %d | %.1f | %.0f |%n", s.seconds(), s.delivered(),
                s.retainedHeapMb(), s.rssMb()));
        }
        return out.toString();
    }

    static Optional<String> verdictProblem(Result r) {
        if (!r.ok()) {
            return Optional.of("soak run failed: " + (r.failures().isEmpty() ? "too few samples or lost mail"
                : String.join("; ", r.failures())));
        }
        return r.flat() ? Optional.empty() : Optional.of("retained heap grew");
    }
}
