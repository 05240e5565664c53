package org.sealgate.bench.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One measured run against a running node and sink: smtp-source submits the load while a probe thread submits up to
 * {@code probes} timestamped messages of the same shape through {@link ProbeClient}; then we wait (bounded) until
 * every message has arrived at the sink, and read the figures.
 *
 * <p>Throughput: all messages (load and probes) over first submission to last arrival (newest dump mtime).
 * Latency: for each probe, from the moment its SMTP connection was opened to the mtime of its dump file.
 * Delivered: dumps whose envelope recipient is the load's ({@link Envelopes}); any other dump
 * fails the run unless it is a notice still due (GINA's first-password mail, in the scenario's first run).
 */
final class LoadRun {
    private static final long SETTLE_MS = 500;
    private static final String PROBE_PREFIX = "probe-";

    private final Scenario scenario;
    private final BenchFixture fixture;
    private final NodeProcess node;
    private final Sink sink;
    private final Path work;
    private final boolean verifyAll;
    private final long probeGapMs;
    /** Mails to the sender still expected: GINA's first-password notice, due in the scenario's first run. */
    private int noticesDue;

    LoadRun(Scenario scenario, BenchFixture fixture, NodeProcess node, Sink sink, Path work, boolean verifyAll,
            long probeGapMs) {
        this.scenario = scenario;
        this.fixture = fixture;
        this.node = node;
        this.sink = sink;
        this.work = work;
        this.verifyAll = verifyAll;
        this.probeGapMs = probeGapMs;
        this.noticesDue = scenario.firstContactNotices();
    }

    RunResult run(RunSpec spec, long timeoutMs, int round, Scenario pairedWith) throws IOException, InterruptedException {
        Path loadFile = work.resolve("load-" + spec.shape().bytes() + (spec.shape().attachment() ? "-att" : "") + ".eml");
        if (!Files.exists(loadFile)) {
            Files.writeString(loadFile, fixture.message(spec.shape(), "load@bench.sealgate.test", "bench load"),
                StandardCharsets.US_ASCII);
        }
        sink.clear();
        long pid = node.pid();
        ProcStats.resetPeakRss(pid);
        double cpuBefore = ProcStats.cpuSeconds(pid);
        Map<Long, Double> jitBefore = ProcStats.compilerThreadSeconds(pid);
        Map<Long, Double> spoolerBefore = ProcStats.spoolerThreadSeconds(pid);

        Path sourceLog = work.resolve("smtp-source-" + scenario.name() + "-" + spec.shape().bytes()
            + (spec.shape().attachment() ? "att" : "") + "-c" + spec.concurrency() + ".log");
        long start = System.currentTimeMillis();
        Process source = new ProcessBuilder("/usr/sbin/smtp-source", "-d", "-s", Integer.toString(spec.concurrency()),
            "-m", Integer.toString(spec.messages()), "-f", fixture.sender(), "-t", fixture.recipient(),
            "-F", loadFile.toString(), "127.0.0.1:" + fixture.smtpPort())
            .redirectErrorStream(true).redirectOutput(sourceLog.toFile()).start();
        Map<String, Long> probeSubmitted = new ConcurrentHashMap<>();
        List<String> probeErrors = new ArrayList<>();
        Thread prober = new Thread(() -> probe(spec, source, probeSubmitted, probeErrors), "bench-probes");
        prober.start();

        long deadline = start + timeoutMs;
        Optional<String> failure = Optional.empty();
        if (!source.waitFor(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
            source.destroyForcibly();
            failure = Optional.of("smtp-source did not finish within " + timeoutMs / 1000 + " s");
        } else if (source.exitValue() != 0) {
            failure = Optional.of("smtp-source exited " + source.exitValue() + ": " + tail(sourceLog));
        }
        prober.join(Math.max(1, deadline - System.currentTimeMillis()));
        if (prober.isAlive()) {
            prober.interrupt();
            prober.join(5_000);
        }
        synchronized (probeErrors) {
            if (failure.isEmpty() && !probeErrors.isEmpty()) {
                failure = Optional.of("probe submission failed: " + probeErrors.get(0));
            }
        }
        int sent = spec.messages() + probeSubmitted.size();

        // Wait (bounded) for every message and any notice due, then until no dump file has changed for SETTLE_MS.
        Envelopes envelopes = new Envelopes(fixture.recipient());
        List<Path> files = sink.files();
        while (System.currentTimeMillis() < deadline) {
            files = sink.files();
            if (files.size() >= sent + noticesDue && newestMtime(files) < System.currentTimeMillis() - SETTLE_MS
                && envelopes.toRecipient(files).size() >= sent && envelopes.toOthers(files).size() >= noticesDue) {
                break;
            }
            if (!node.alive()) {
                failure = failure.or(() -> Optional.of("node died during the run"));
                break;
            }
            Thread.sleep(50);
        }
        double cpuAfter = ProcStats.cpuSeconds(pid);
        double jit = ProcStats.secondsBetween(jitBefore, ProcStats.compilerThreadSeconds(pid));
        double spooler = ProcStats.secondsBetween(spoolerBefore, ProcStats.spoolerThreadSeconds(pid));
        double peakRss = ProcStats.peakRssMb(pid);
        List<Path> all = sink.files();
        files = envelopes.toRecipient(all);
        List<Path> notices = envelopes.toOthers(all);
        long lastArrival = newestMtime(files);
        if (files.size() < sent) {
            String timeout = "timeout: " + files.size() + " of " + sent + " messages arrived within " + timeoutMs / 1000 + " s";
            Path dump = work.resolve("threads-" + scenario.name() + "-" + spec.shape().bytes() + "-round" + round + ".txt");
            String reason = node.alive() && node.dumpThreads(dump)
                ? timeout + " (node threads: " + dump.getFileName() + ")" : timeout;
            failure = failure.map(f -> f + "; " + reason).or(() -> Optional.of(reason));
        }
        Optional<String> noticeProblem = checkNotices(notices);
        if (noticeProblem.isPresent()) {
            failure = failure.map(f -> f + "; " + noticeProblem.get()).or(() -> noticeProblem);
        }

        List<Double> latencies = new ArrayList<>();
        int verified = 0;
        int checkBudget = verifyAll ? Integer.MAX_VALUE : 20;
        for (Path file : files) {
            String probeId = probeId(file);
            if (probeId != null && probeSubmitted.containsKey(probeId)) {
                latencies.add((double) (Files.getLastModifiedTime(file).toMillis() - probeSubmitted.get(probeId)));
            }
            if (verified < checkBudget || probeId != null) {
                Optional<String> problem = SinkCheck.check(file, scenario, fixture, spec.shape());
                if (problem.isPresent()) {
                    String reason = problem.get();
                    failure = failure.map(f -> f + "; " + reason).or(() -> Optional.of(reason));
                    break;
                }
                verified++;
            }
        }
        latencies.sort(Double::compare);
        double seconds = Math.max(0.001, (lastArrival - start) / 1000.0);
        return new RunResult(scenario, spec, sent, files.size(), seconds, percentile(latencies, 50),
            percentile(latencies, 99), latencies.size(), sent == 0 ? 0 : (cpuAfter - cpuBefore) / sent,
            sent == 0 ? 0 : jit / sent, sent == 0 ? 0 : spooler / sent, peakRss,
            verified, notices.size(), failure, round, pairedWith);
    }

    /**
     * Mail that reached the sink for anyone but the recipient is never ignored: only the notices still due (GINA's
     * first-password mail to the sender, once per new recipient) are allowed, and each must be one.
     */
    private Optional<String> checkNotices(List<Path> notices) {
        int due = noticesDue;
        noticesDue = Math.max(0, noticesDue - notices.size());
        if (notices.size() > due) {
            return Optional.of((notices.size() - due) + " unexpected mail(s) not to " + fixture.recipient()
                + notices.stream().map(SinkCheck::checkNotice).flatMap(Optional::stream).findFirst().map(p -> " (" + p + ")")
                    .orElse(""));
        }
        if (notices.size() < due) {
            return Optional.of("the first-password mail to " + BenchFixture.SENDER + " did not arrive");
        }
        return notices.stream().map(SinkCheck::checkNotice).flatMap(Optional::stream).findFirst();
    }

    private void probe(RunSpec spec, Process source, Map<String, Long> submitted, List<String> errors) {
        try {
            for (int i = 0; i < spec.probes() && (i == 0 || source.isAlive()); i++) {
                String id = PROBE_PREFIX + i + "-" + System.nanoTime();
                byte[] message = Messages.crlf(fixture.message(spec.shape(), id + "@bench.sealgate.test", "bench probe"));
                long at = System.currentTimeMillis();
                ProbeClient.send(fixture.smtpPort(), fixture.sender(), fixture.recipient(), message);
                submitted.put(id, at);
                Thread.sleep(probeGapMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            synchronized (errors) {
                errors.add(e.toString());
            }
        }
    }

    /** The probe id from the Message-ID header of a dump, or null (the headers are in the first few KB). */
    private static String probeId(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8192);
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("<" + PROBE_PREFIX);
        if (at < 0) {
            return null;
        }
        int end = text.indexOf('@', at);
        return end < 0 ? null : text.substring(at + 1, end);
    }

    private static long newestMtime(List<Path> files) throws IOException {
        long newest = 0;
        for (Path file : files) {
            newest = Math.max(newest, Files.getLastModifiedTime(file).toMillis());
        }
        return newest;
    }

    static Optional<Double> percentile(List<Double> sorted, int percent) {
        if (sorted.isEmpty()) {
            return Optional.empty();
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return Optional.of(sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))));
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1).strip();
            return text.length() > 300 ? text.substring(text.length() - 300) : text;
        } catch (IOException e) {
            return "(no log)";
        }
    }

}
