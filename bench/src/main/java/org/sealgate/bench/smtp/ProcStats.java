package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak RSS of a Linux process, from /proc. */
final class ProcStats {
    /** USER_HZ: clock ticks per second in /proc/PID/stat (100 on every Linux this runs on; see getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** User + system CPU seconds the process has used so far. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
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
