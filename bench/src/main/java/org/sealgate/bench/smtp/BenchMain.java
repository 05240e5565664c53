package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./sealgate bench [--quick|--medium|--goals] [--out DIR]}: runs the SMTP benchmark, writes {@code results.md} and
 * {@code throughput.png} to the output directory and, given {@code --benchmarks-md FILE}, appends the summary there.
 * Exit status 1 when any run failed (timeout, lost or undecryptable mail).
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        String mode = "full";
        Path out = null;
        Path benchmarksMd = null;
        String commit = "unknown";
        String command = "./sealgate bench";
        List<Scenario> only = List.of(Scenario.values());
        boolean profile = false;
        boolean soak = false;
        int soakMinutes = 10;
        Integer rounds = null;
        int profileBytes = 100 * 1024;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> mode = "quick";
                case "--medium" -> mode = "medium";
                case "--full" -> mode = "full";
                case "--goals" -> mode = "goals";
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--benchmarks-md" -> benchmarksMd = Path.of(value(args, ++i, "--benchmarks-md"));
                case "--commit" -> commit = value(args, ++i, "--commit");
                case "--command" -> command = value(args, ++i, "--command");
                case "--scenarios" -> only = scenarios(value(args, ++i, "--scenarios"));
                case "--profile" -> profile = true;
                case "--soak" -> soak = true;
                case "--minutes" -> soakMinutes = Integer.parseInt(value(args, ++i, "--minutes"));
                case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, "--rounds"));
                case "--size" -> profileBytes = sizeBytes(value(args, ++i, "--size"));
                default -> {
                    System.err.println("usage: bench [--quick|--medium|--full|--goals|--profile|--soak [--minutes N]] [--scenarios a,b] "
                        + "[--rounds N] [--size 100k|1m (profile)] [--out DIR] "
                        + "[--benchmarks-md FILE]");
                    System.exit(2);
                }
            }
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        if (out == null) {
            out = Path.of("bench", "results", now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        Files.createDirectories(out);
        String classpath = System.getProperty("sealgate.bench.classpath", System.getProperty("java.class.path"));
        if (soak) {
            // The memory check runs the mix (outbound S/MIME encrypt, inbound S/MIME and OpenPGP decrypt + verify,
            // taking turns through one node) unless scenarios are named: one, or an outbound one then inbound ones.
            List<Scenario> soaked = only.size() == Scenario.values().length ? SoakRun.MIX : only;
            System.exit(soak(soaked, Duration.ofMinutes(soakMinutes), out, benchmarksMd, now, commit, command));
        }
        BenchPlan plan = profile ? profilePlan(only, profileBytes) : BenchPlan.of(mode).only(only);
        if (rounds != null) {
            plan = plan.withRounds(rounds);
        }
        if (profile) {
            mode = "profile";
        }
        System.out.println("Estimated duration on an idle 2-core machine: about " + plan.estimate().toMinutes()
            + " min (" + plan.scenarios().size() + " scenario(s), " + plan.runs().size() + " run shape(s), "
            + plan.rounds() + " round(s))");
        List<RunResult> results = new BenchHarness(plan, out.resolve("work"), classpath,
            System.out::println).run();
        String summary = summary(mode, plan.rounds(), results, now, commit, command);
        Report.write(out.resolve("results.md"), summary);
        Chart.write(results, "Sealgate SMTP benchmark (" + mode + "), messages/s", out.resolve("throughput.png"));
        if (benchmarksMd != null && !profile) {
            Files.writeString(benchmarksMd, "\n" + summary, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        }
        System.out.println(summary);
        System.out.println("Results: " + out.toAbsolutePath());
        long failed = results.stream().filter(r -> !r.ok()).count();
        if (failed > 0) {
            System.err.println(failed + " run(s) failed");
            System.exit(1);
        }
    }

    static String summary(String mode, int rounds, List<RunResult> results, ZonedDateTime when, String commit,
                          String command) {
        return "## SMTP benchmark, " + mode + " mode, " + when.format(DateTimeFormatter.ISO_LOCAL_DATE) + " "
            + when.format(DateTimeFormatter.ofPattern("HH:mm")) + " UTC\n\n"
            + "- Commit: `" + commit + "`\n"
            + "- Command: `" + command + "`\n"
            + "- Machine: " + Report.machine() + "\n"
            + "- Method: smtp-source → node (own JVM, " + NodeProcess.describeOptions() + ") → smtp-sink on loopback; msg/s = all messages over first "
            + "submission to last arrival; latency = probe messages (same shape, own client) from connect to dump-file "
            + "mtime; CPU = node utime+stime per message, in brackets the part spent by its JIT compiler threads "
            + "(compiling is paid once, in a node's first thousands of mails; a short run still pays it); peak RSS = node VmHWM during the run. Each run is taken "
            + rounds + " time(s) alternating with the same run on the scenario's relay-only baseline (its own node, "
            + "started beside the scenario's); × baseline = median of the per-round ratios (min–max); Sealgate's own "
            + "CPU = median per round of scenario minus baseline CPU ms/mail (without JIT: the same, each side's "
            + "compiler threads left out; in the spooler: the same for James's spooler threads alone, where every "
            + "mailet runs, without SMTP, delivery, queue, GC and JIT). Before its first round, each message size is warmed up on both nodes "
            + "(untimed).\n\n"
            + Report.comparisons(results)
            + (mode.equals("goals") ? "\nIssue 16's goals (judged from " + BenchPlan.MEASURED_ROUNDS
                + " rounds up):\n\n" + Goals.table(results) : "")
            + "\nEvery run:\n\n"
            + Report.table(results);
    }

    /** The memory check; returns the exit status (1 when mail was lost or the retained heap grew). */
    private static int soak(List<Scenario> scenarios, Duration duration, Path out, Path benchmarksMd,
                            ZonedDateTime now, String commit, String command) throws IOException, InterruptedException {
        String classpath = System.getProperty("sealgate.bench.classpath", System.getProperty("java.class.path"));
        // Batches of 1000 for one scenario; 500 per scenario in a mix, so that each turn stays about as long.
        SoakRun.Result result = new SoakRun(scenarios, duration, Duration.ofSeconds(30),
            scenarios.size() == 1 ? 1000 : 500, out.resolve("work"), classpath, System.out::println).run();
        String summary = "## Memory check (soak), " + now.format(DateTimeFormatter.ISO_LOCAL_DATE) + " "
            + now.format(DateTimeFormatter.ofPattern("HH:mm")) + " UTC\n\n"
            + "- Commit: `" + commit + "`\n"
            + "- Command: `" + command + "`\n"
            + "- Machine: " + Report.machine() + "\n"
            + "- Node JVM: " + NodeProcess.describeOptions() + "\n"
            + SoakRun.report(result);
        Report.write(out.resolve("soak.md"), summary);
        if (benchmarksMd != null) {
            Files.writeString(benchmarksMd, "\n" + summary, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        }
        System.out.println(summary);
        Optional<String> problem = SoakRun.verdictProblem(result);
        problem.ifPresent(System.err::println);
        return problem.isPresent() ? 1 : 0;
    }

    /** Comma-separated scenario names, e.g. {@code baseline,encrypt}. */
    static List<Scenario> scenarios(String names) {
        List<Scenario> list = new java.util.ArrayList<>();
        for (String name : names.split(",")) {
            list.add(Scenario.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
        }
        return List.copyOf(list);
    }

    static BenchPlan profilePlan(List<Scenario> scenarios) {
        return profilePlan(scenarios, 100 * 1024);
    }

    /**
     * One long steady run (concurrency 8; 3000 messages of 100 KB, or as many bytes in all for larger messages,
     * at least 300) per scenario, for a profiler attached through SEALGATE_BENCH_NODE_OPTS; its figures are not
     * comparable with the modes' and are not appended to BENCHMARKS.md.
     */
    static BenchPlan profilePlan(List<Scenario> scenarios, int bytes) {
        MessageShape shape = new MessageShape(bytes, false);
        int messages = (int) Math.max(300, 3000L * 100 * 1024 / bytes);
        return new BenchPlan("profile", scenarios, List.of(new RunSpec(shape, 8, messages, 20)),
            new RunSpec(new MessageShape(100 * 1024, false), 8, 500, 0), false, 100, 1);
    }

    /** "100k", "1m" or a number of bytes: the message size of a profile run. */
    static int sizeBytes(String size) {
        String s = size.trim().toLowerCase(java.util.Locale.ROOT);
        int unit = s.endsWith("k") ? 1024 : s.endsWith("m") ? 1024 * 1024 : 1;
        int value = Integer.parseInt(unit == 1 ? s : s.substring(0, s.length() - 1));
        if (value <= 0 || (long) value * unit > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("--size must be between 1 byte and 64 MB: " + size);
        }
        return value * unit;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

}
