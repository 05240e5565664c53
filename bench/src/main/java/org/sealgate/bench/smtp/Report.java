package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The Markdown table of a benchmark run, with each scenario's throughput relative to the baseline's same run. */
public final class Report {
    private Report() {
    }

    public static String table(List<RunResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("| Scenario | Message | Conc. | Sent | Delivered | msg/s | × baseline | p50 ms | p99 ms (probes) "
            + "| CPU ms/msg | Peak RSS MB | Status |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (RunResult r : results) {
            out.append("| ").append(r.scenario().label())
                .append(" | ").append(r.spec().shape().label())
                .append(" | ").append(r.spec().concurrency())
                .append(" | ").append(r.sent())
                .append(" | ").append(r.delivered())
                .append(" | ").append(f1(r.messagesPerSecond()))
                .append(" | ").append(ratio(r, results).map(v -> String.format(Locale.ROOT, "%.2f", v)).orElse("–"))
                .append(" | ").append(r.latencyP50Ms().map(Report::f0).orElse("–"))
                .append(" | ").append(r.latencyP99Ms().map(Report::f0).orElse("–")).append(" (").append(r.probes()).append(')')
                .append(" | ").append(f1(r.cpuSecondsPerMessage() * 1000))
                .append(" | ").append(f0(r.peakRssMb()))
                .append(" | ").append(r.failure().map(f -> "FAILED: " + f.replace('|', '/')).orElse("ok"))
                .append(" |\n");
        }
        return out.toString();
    }

    /** Throughput divided by the baseline's with the same message shape and concurrency. */
    public static Optional<Double> ratio(RunResult r, List<RunResult> results) {
        if (!r.ok()) {
            return Optional.empty();
        }
        return results.stream()
            .filter(b -> b.scenario() == Scenario.BASELINE && b.spec().shape().equals(r.spec().shape())
                && b.spec().concurrency() == r.spec().concurrency() && b.ok() && b.messagesPerSecond() > 0)
            .findFirst().map(b -> r.messagesPerSecond() / b.messagesPerSecond());
    }

    /** Where and on what the figures were measured. */
    public static String machine() {
        String cpu = "unknown CPU";
        long cores = 0;
        String memory = "unknown memory";
        try {
            List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
            cores = cpuinfo.stream().filter(l -> l.startsWith("processor")).count();
            cpu = cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> String.format(Locale.ROOT, "%.1f GiB RAM",
                    Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).orElse(memory);
        } catch (IOException | RuntimeException e) {
            // leave the defaults
        }
        return cpu + ", " + cores + " logical CPUs, " + memory + ", Java " + System.getProperty("java.version")
            + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
