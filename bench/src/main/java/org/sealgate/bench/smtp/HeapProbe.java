package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retained heap of a running JVM: {@code jcmd PID GC.run} (a full collection, so only live objects remain), then
 * {@code jcmd PID GC.heap_info}'s "used" figure. Measured from outside, so the node needs no extra options.
 */
final class HeapProbe {
    /** A heap or generation line: G1 has one ("garbage-first heap"), Serial and Parallel one per generation. */
    private static final Pattern USED = Pattern.compile("total\\s+\\d+K,\\s+used\\s+(\\d+)K");

    private HeapProbe() {
    }

    /** Retained heap in MB after a full collection. */
    static double retainedMb(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        return usedKb(jcmd(pid, "GC.heap_info")) / 1024.0;
    }

    /** The heap's "used" figure in KB from {@code GC.heap_info} output (G1, Parallel or Serial; not Metaspace). */
    static long usedKb(String heapInfo) {
        Matcher matcher = USED.matcher(heapInfo);
        long used = 0;
        boolean found = false;
        while (matcher.find()) {
            used += Long.parseLong(matcher.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("no heap usage in jcmd output: " + heapInfo.strip());
        }
        return used;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
            .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish within 60 s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("jcmd " + command + " exited " + process.exitValue() + ": " + text.strip());
        }
        return text;
    }
}
