package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Markdown tables of a benchmark run: the comparison of each scenario with its baseline over the alternating
 * rounds ({@link Comparisons}), and every single run, each with its throughput relative to the baseline's run of the
 * same round.
 */
public final class Report {
    private Report() {
    }

    /** One line per scenario and run shape: medians over the rounds, the ratio's spread, CPU per mail. */
    public static String comparisons(List<RunResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("| Scenario | Message | Conc. | Rounds | msg/s | baseline msg/s | × baseline, median (min–max) "
            + "| CPU ms/mail (JIT) | baseline CPU ms/mail (JIT) | Sealgate's own CPU ms/mail | own CPU without JIT "
            + "| own CPU in the spooler (mailets) |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Comparisons.Comparison c : Comparisons.of(results)) {
            out.append("| ").append(c.scenario().label())
                .append(" | ").append(c.spec().shape().label())
                .append(" | ").append(c.spec().concurrency())
                .append(" | ").append(c.rounds()).append(c.failedRounds() > 0 ? " (" + c.failedRounds() + " failed)" : "")
                .append(" | ").append(c.messagesPerSecond().map(Report::f1).orElse("–"))
                .append(" | ").append(c.baselinePerSecond().map(Report::f1).orElse("–"))
                .append(" | ").append(c.ratio().map(Report::f2).orElse("–"))
                .append(c.rounds() > 1 ? " (" + f2(c.ratioMin().orElseThrow()) + "–" + f2(c.ratioMax().orElseThrow()) + ")" : "")
                .append(" | ").append(withJit(c.cpuMsPerMail(), c.jitMsPerMail()))
                .append(" | ").append(withJit(c.baselineCpuMsPerMail(), c.baselineJitMsPerMail()))
                .append(" | ").append(c.ownCpuMsPerMail().map(Report::f1).orElse("–"))
                .append(" | ").append(c.ownCpuWithoutJitMsPerMail().map(Report::f1).orElse("–"))
                .append(" | ").append(c.ownSpoolerMsPerMail().map(Report::f2).orElse("–"))
                .append(" |\n");
        }
        return out.toString();
    }

    /** Every single run, in the order taken. */
    public static String table(List<RunResult> results) {
        StringBuilder out = new StringBuilder();
        out.append("| Scenario | Round | Message | Conc. | Sent | Delivered | msg/s | × baseline | p50 ms | p99 ms (probes) "
            + "| CPU ms/msg (JIT) | spooler CPU ms/msg | Peak RSS MB | Status |\n");
        out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (RunResult r : results) {
            out.append("| ").append(r.scenario().label())
                .append(r.scenario().isBaseline() && r.pairedWith() != r.scenario() ? " (for " + r.pairedWith().label() + ")" : "")
                .append(" | ").append(r.round())
                .append(" | ").append(r.spec().shape().label())
                .append(" | ").append(r.spec().concurrency())
                .append(" | ").append(r.sent())
                .append(" | ").append(r.delivered())
                .append(" | ").append(f1(r.messagesPerSecond()))
                .append(" | ").append(ratio(r, results).map(v -> String.format(Locale.ROOT, "%.2f", v)).orElse("–"))
                .append(" | ").append(r.latencyP50Ms().map(Report::f0).orElse("–"))
                .append(" | ").append(r.latencyP99Ms().map(Report::f0).orElse("–")).append(" (").append(r.probes()).append(')')
                .append(" | ").append(f1(r.cpuSecondsPerMessage() * 1000)).append(" (")
                .append(f1(r.jitSecondsPerMessage() * 1000)).append(')')
                .append(" | ").append(f2(r.spoolerSecondsPerMessage() * 1000))
                .append(" | ").append(f0(r.peakRssMb()))
                .append(" | ").append(r.failure().map(f -> "FAILED: " + f.replace('|', '/')).orElse("ok"))
                .append(" |\n");
        }
        return out.toString();
    }

    /** Throughput divided by that of the baseline's run of the same shape and round (taken right before it). */
    public static Optional<Double> ratio(RunResult r, List<RunResult> results) {
        if (!r.ok() || r.scenario().isBaseline()) {
            return Optional.empty();
        }
        return Comparisons.baselineOf(r, results).filter(b -> b.ok() && b.messagesPerSecond() > 0)
            .map(b -> r.messagesPerSecond() / b.messagesPerSecond());
    }

    /** "12.3 (4.5)": CPU ms per mail and, in brackets, the JIT compiler's part of it. */
    private static String withJit(Optional<Double> cpu, Optional<Double> jit) {
        return cpu.map(v -> f1(v) + jit.map(j -> " (" + f1(j) + ")").orElse("")).orElse("–");
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

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
