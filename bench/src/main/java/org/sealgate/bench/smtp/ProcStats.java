package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** CPU time and peak RSS of a Linux process, from /proc. */
final class ProcStats {
    /** USER_HZ: clock ticks per second in /proc/PID/stat (100 on every Linux this runs on; see getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** User + system CPU seconds the process has used so far. */
    static double cpuSeconds(long pid) throws IOException {
        return statCpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /**
     * User + system CPU seconds of each of the JVM's JIT compiler threads ("C1 CompilerThread0", "C2 Compiler..."),
     * by thread id: compiling is a cost a node pays once after its start, not per mail, so the benchmark shows it
     * apart from the rest of the node's CPU.
     */
    static Map<Long, Double> compilerThreadSeconds(long pid) throws IOException {
        return threadSeconds(pid, name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"));
    }

    /**
     * User + system CPU seconds of each of James's spooler threads ("spooler-1", ...), by thread id: every mailet and
     * matcher runs on them, so their CPU is the mail pipeline's (Sealgate's steps on a node, James's few on the
     * relay-only baseline), without SMTP receive, delivery, the queue, the audit writer, GC or the JIT compiler.
     */
    static Map<Long, Double> spoolerThreadSeconds(long pid) throws IOException {
        return threadSeconds(pid, name -> name.startsWith("spooler-"));
    }

    private static Map<Long, Double> threadSeconds(long pid, Predicate<String> named) throws IOException {
        Map<Long, Double> seconds = new HashMap<>();
        List<Path> tasks;
        try (Stream<Path> listing = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks = listing.toList();
        }
        for (Path task : tasks) {
            try {
                String stat = Files.readString(task.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (named.test(name)) {
                    seconds.put(Long.parseLong(task.getFileName().toString()), statCpuSeconds(stat));
                }
            } catch (NoSuchFileException e) {
                // the thread ended between the listing and the read
            }
        }
        return seconds;
    }

    /**
     * CPU seconds of a thread group between two readings ({@link #compilerThreadSeconds}, {@link #spoolerThreadSeconds}).
     * A thread that ended in between (the JVM retires idle compiler threads) loses its last interval: the figure errs
     * low, never high.
     */
    static double secondsBetween(Map<Long, Double> before, Map<Long, Double> after) {
        double total = 0;
        for (Map.Entry<Long, Double> thread : after.entrySet()) {
            total += Math.max(0, thread.getValue() - before.getOrDefault(thread.getKey(), 0.0));
        }
        return total;
    }

    /** utime + stime of a /proc stat line, in seconds. */
    private static double statCpuSeconds(String stat) {
        // Fields after the command name in parentheses (which may contain spaces): state is field 3, utime 14, stime 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        return (utime + stime) / TICKS_PER_SECOND;
    }

    /** Peak resident set size (VmHWM) in MB. */
    static double peakRssMb(long pid) throws IOException {
        return statusMb(pid, "VmHWM:");
    }

    /** Current resident set size (VmRSS) in MB. */
    static double rssMb(long pid) throws IOException {
        return statusMb(pid, "VmRSS:");
    }

    /** A kB figure of /proc/PID/status in MB, 0 when the field is missing. */
    private static double statusMb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return 0;
    }

    /** Resets VmHWM to the current RSS (Linux ≥ 4.0, own processes); false when the kernel refuses. */
    static boolean resetPeakRss(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
