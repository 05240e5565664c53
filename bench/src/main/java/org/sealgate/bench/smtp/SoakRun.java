package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The memory check: steady load for a fixed time (batches of smtp-source runs, every message awaited at the sink and
 * checked as the scenarios check theirs), sampling the node's retained heap (after a full GC), its RSS right after
 * that GC (the floor a leak raises) and its peak RSS during the batches since the last sample (VmHWM). One scenario,
 * or a mix: one node set up for one outbound scenario and inbound loads ({@link BenchFixture#createMixed}), their
 * batches alternating (outbound, inbound S/MIME, inbound OpenPGP, outbound, ...). Memory is called flat when the
 * retained heap of the last third of the samples is within {@link #FLAT_TOLERANCE_MB} (or 10 %) of the first
 * third's, after the warm-up; the RSS goal is met when no batch's peak RSS exceeds {@link #RSS_GOAL_MB}.
 */
public final class SoakRun {
    static final double FLAT_TOLERANCE_MB = 16;
    /** Issue 16: the node's RSS stays under this in the 10-minute soak with the inbound scenario mixed in. */
    static final double RSS_GOAL_MB = 700;
    /** The default soak: outbound S/MIME encrypt, inbound S/MIME and OpenPGP decrypt + verify through one node. */
    public static final List<Scenario> MIX = List.of(Scenario.ENCRYPT, Scenario.INBOUND_SMIME, Scenario.INBOUND_PGP);

    /**
     * One sample: seconds since the load started, messages delivered so far, retained heap and RSS (both right
     * after a full GC) and the highest RSS of the batches since the previous sample (0 for the first), in MB.
     */
    public record Sample(double seconds, long delivered, double retainedHeapMb, double rssMb, double peakRssMb) {
    }

    /**
     * What the run found; {@code failures} lists every batch that lost, delayed or mis-encrypted mail;
     * {@code cpuMsPerMail} the node's CPU (user + system) per mail of each scenario's batches, so that a memory
     * setting's cost in CPU shows beside its RSS.
     */
    public record Result(List<Scenario> scenarios, RunSpec batch, Duration duration, List<Sample> samples, long sent,
                         long delivered, List<String> failures, Map<Scenario, Double> cpuMsPerMail) {
        public Result(List<Scenario> scenarios, RunSpec batch, Duration duration, List<Sample> samples, long sent,
                      long delivered, List<String> failures) {
            this(scenarios, batch, duration, samples, sent, delivered, failures, Map.of());
        }

        public boolean ok() {
            return failures.isEmpty() && sent == delivered && samples.size() >= 3;
        }

        /** The highest RSS seen: any batch's VmHWM or any sample's RSS. */
        public double peakRssMb() {
            return samples.stream().mapToDouble(s -> Math.max(s.rssMb(), s.peakRssMb())).max().orElse(0);
        }

        /** Average RSS after a full GC of the first and of the last third of the samples. */
        public double[] rssThirds() {
            int third = Math.max(1, samples.size() / 3);
            return new double[] {samples.subList(0, third).stream().mapToDouble(Sample::rssMb).average().orElse(0),
                samples.subList(samples.size() - third, samples.size()).stream().mapToDouble(Sample::rssMb).average()
                    .orElse(0)};
        }

        public boolean underRssGoal() {
            return peakRssMb() < RSS_GOAL_MB;
        }

        public String label() {
            return String.join(" + ", scenarios.stream().map(Scenario::label).toList());
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

    private final List<Scenario> scenarios;
    private final Duration duration;
    private final Duration interval;
    private final int batchMessages;
    private final Path work;
    private final String nodeClasspath;
    private final Consumer<String> log;

    /**
     * @param scenarios     one scenario, or a mix: one outbound scenario first, then inbound ones
     * @param batchMessages messages per smtp-source batch and scenario (1000 by hand; small in the test); the warm-up
     *                      is half that
     */
    public SoakRun(List<Scenario> scenarios, Duration duration, Duration interval, int batchMessages, Path work,
                   String nodeClasspath, Consumer<String> log) {
        if (scenarios.isEmpty() || scenarios.stream().anyMatch(Scenario::isBaseline)
            || (scenarios.size() > 1 && (scenarios.get(0).inbound()
                || scenarios.subList(1, scenarios.size()).stream().anyMatch(s -> !s.inbound())))) {
            throw new IllegalArgumentException("soak: one scenario, or one outbound scenario then inbound ones, got "
                + scenarios);
        }
        this.scenarios = List.copyOf(scenarios);
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
        Path dir = Files.createDirectories(work.resolve("soak-" + String.join("-",
            scenarios.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList())));
        int sinkPort = Ports.free();
        List<String> failures = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        long sent = 0;
        long delivered = 0;
        // Per scenario: node CPU seconds and messages of its measured batches.
        Map<Scenario, double[]> cpu = new LinkedHashMap<>();
        Scenario first = scenarios.get(0);
        List<Scenario.Load> inboundLoads = scenarios.subList(1, scenarios.size()).stream().map(Scenario::load).toList();
        try (BenchFixture fixture = scenarios.size() == 1
                ? BenchFixture.create(dir.resolve("data"), first, Ports.free(), sinkPort)
                : BenchFixture.createMixed(dir.resolve("data"), first, inboundLoads, Ports.free(), sinkPort);
             Sink sink = new Sink(sinkPort, dir.resolve("smtp-sink.log"));
             NodeProcess node = NodeProcess.start(fixture, nodeClasspath, dir.resolve("node.log"))) {
            // One load run per scenario, all through the same node and sink; they take turns (each clears the sink).
            List<LoadRun> loads = new ArrayList<>();
            for (Scenario scenario : scenarios) {
                Path streamDir = Files.createDirectories(dir.resolve(scenario.name().toLowerCase(Locale.ROOT)));
                loads.add(new LoadRun(scenario, fixture.forLoad(scenario.load()), node, sink, streamDir, false, 100));
            }
            for (int i = 0; i < loads.size() && failures.isEmpty(); i++) {
                RunResult warm = loads.get(i).run(warmUp, BenchPlan.timeoutMs(warmUp), 0, scenarios.get(i));
                log.accept("   soak warm-up " + scenarios.get(i).label() + ": " + BenchHarness.describe(warm));
                warm.failure().ifPresent(f -> failures.add("warm-up " + warm.scenario().label() + ": " + f));
            }
            long start = System.currentTimeMillis();
            long end = start + duration.toMillis();
            samples.add(sample(node, start, 0, 0));
            long nextSample = start + interval.toMillis();
            double peakSinceSample = 0;
            int turn = 0;
            while (failures.isEmpty() && System.currentTimeMillis() < end && node.alive()) {
                Scenario scenario = scenarios.get(turn % scenarios.size());
                RunResult result = loads.get(turn % scenarios.size()).run(batch, BenchPlan.timeoutMs(batch), 0, scenario);
                turn++;
                sent += result.sent();
                delivered += result.delivered();
                double[] c = cpu.computeIfAbsent(scenario, k -> new double[2]);
                c[0] += result.cpuSecondsPerMessage() * result.sent();
                c[1] += result.sent();
                log.accept(String.format(Locale.ROOT, "   soak batch %s: %s, node CPU %.1f ms/mail, peak RSS %.0f MB",
                    scenario.label(), BenchHarness.describe(result), result.cpuSecondsPerMessage() * 1000,
                    result.peakRssMb()));
                peakSinceSample = Math.max(peakSinceSample, result.peakRssMb());
                result.failure().ifPresent(f -> failures.add(scenario.label() + " batch at "
                    + (System.currentTimeMillis() - start) / 1000 + " s: " + f));
                if (System.currentTimeMillis() >= nextSample) {
                    Sample s = sample(node, start, delivered, peakSinceSample);
                    samples.add(s);
                    peakSinceSample = 0;
                    log.accept(String.format(Locale.ROOT, "   soak %4.0f s: %d delivered, %.1f msg/s in the last batch "
                        + "(%s), retained heap %.1f MB, RSS %.0f MB after GC, peak %.0f MB", s.seconds(), delivered,
                        result.messagesPerSecond(), scenario.label(), s.retainedHeapMb(), s.rssMb(), s.peakRssMb()));
                    nextSample = System.currentTimeMillis() + interval.toMillis();
                }
            }
            if (!node.alive()) {
                failures.add("node died");
            } else {
                samples.add(sample(node, start, delivered, peakSinceSample));
            }
        }
        Map<Scenario, Double> cpuMs = new LinkedHashMap<>();
        cpu.forEach((scenario, c) -> cpuMs.put(scenario, c[1] > 0 ? c[0] * 1000 / c[1] : 0));
        return new Result(scenarios, batch, duration, List.copyOf(samples), sent, delivered, List.copyOf(failures),
            java.util.Collections.unmodifiableMap(cpuMs));
    }

    private static Sample sample(NodeProcess node, long start, long delivered, double peakRssMb)
        throws IOException, InterruptedException {
        double heap = HeapProbe.retainedMb(node.pid());
        return new Sample((System.currentTimeMillis() - start) / 1000.0, delivered, heap, ProcStats.rssMb(node.pid()),
            peakRssMb);
    }

    /** The Markdown section for the benchmark history: verdict, then every sample. */
    public static String report(Result r) {
        double[] thirds = r.thirds();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "- Scenario: %s, %s, concurrency %d, batches of %d messages%s for %s; "
                + "retained heap = heap used after `jcmd PID GC.run` (full GC), sampled between batches; RSS after GC = "
                + "VmRSS right after that; peak RSS = highest VmHWM of the batches since the previous sample.%n",
            r.label(), r.batch().shape().label(), r.batch().concurrency(), r.batch().messages(),
            r.scenarios().size() > 1 ? " per scenario, taking turns through one node" : "",
            r.duration().toSeconds() % 60 == 0 ? r.duration().toMinutes() + " min" : r.duration().toSeconds() + " s"));
        out.append(String.format(Locale.ROOT, "- Messages: %d sent, %d delivered%s.%n", r.sent(), r.delivered(),
            r.failures().isEmpty() ? "" : "; FAILED: " + String.join("; ", r.failures())));
        out.append(String.format(Locale.ROOT, "- Retained heap: first third %.1f MB, last third %.1f MB, slope %+.2f MB/min "
                + "→ **%s** (flat = last third within max(%.0f MB, 10 %%) of the first).%n", thirds[0], thirds[1],
            r.slopeMbPerMinute(), r.flat() ? "flat" : "GROWING", FLAT_TOLERANCE_MB));
        if (!r.cpuMsPerMail().isEmpty()) {
            out.append("- Node CPU per mail (user + system over the measured batches): ").append(String.join(", ",
                r.cpuMsPerMail().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f ms",
                    e.getKey().label(), e.getValue())).toList())).append(".\n");
        }
        double[] rss = r.rssThirds();
        out.append(String.format(Locale.ROOT, "- RSS: peak %.0f MB → **%s** (goal: under %.0f MB); after GC first third "
                + "%.0f MB, last third %.0f MB.%n%n", r.peakRssMb(), r.underRssGoal() ? "met" : "NOT met", RSS_GOAL_MB,
            rss[0], rss[1]));
        out.append("| Time s | Delivered | Retained heap MB | RSS after GC MB | Peak RSS MB |\n|---:|---:|---:|---:|---:|\n");
        for (Sample s : r.samples()) {
            out.append(String.format(Locale.ROOT, "| %.0f | %d | %.1f | %.0f | %s |%n", s.seconds(), s.delivered(),
                s.retainedHeapMb(), s.rssMb(), s.peakRssMb() > 0 ? String.format(Locale.ROOT, "%.0f", s.peakRssMb())
                    : "–"));
        }
        return out.toString();
    }

    static Optional<String> verdictProblem(Result r) {
        if (!r.ok()) {
            return Optional.of("soak run failed: " + (r.failures().isEmpty() ? "too few samples or lost mail"
                : String.join("; ", r.failures())));
        }
        if (!r.flat()) {
            return Optional.of("retained heap grew");
        }
        return r.underRssGoal() ? Optional.empty()
            : Optional.of(String.format(Locale.ROOT, "peak RSS %.0f MB, not under %.0f MB", r.peakRssMb(), RSS_GOAL_MB));
    }
}
