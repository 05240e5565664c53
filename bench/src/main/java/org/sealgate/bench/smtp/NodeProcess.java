package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway node under test in its own JVM: {@code java <the node's launch defaults> -cp ... SealgateCli node --data
 * DIR}, with the defaults' environment ({@link NodeDefaults}: what ./sealgate and the appliance start nodes with).
 */
final class NodeProcess implements AutoCloseable {
    private final Process process;

    private NodeProcess(Process process) {
        this.process = process;
    }

    static NodeProcess start(BenchFixture fixture, String classpath, Path log) throws IOException, InterruptedException {
        NodeDefaults defaults = NodeDefaults.load();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(defaults.javaOptions());
        // Extra node JVM options, e.g. a JFR recording while profiling a scenario (not used in measured runs).
        String extra = System.getenv().getOrDefault("SEALGATE_BENCH_NODE_OPTS", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", classpath, "org.sealgate.cli.SealgateCli", "node", "--data",
            fixture.data().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        defaults.environment().forEach((key, value) -> builder.environment().putIfAbsent(key, value));
        Process process = builder.start();
        NodeProcess node = new NodeProcess(process);
        try {
            Ports.await(fixture.smtpPort(), process, Duration.ofSeconds(240), "node (log: " + log + ")");
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** The JVM options and environment benchmark nodes start with, for the reports. */
    static String describeOptions() {
        NodeDefaults defaults = NodeDefaults.load();
        StringBuilder out = new StringBuilder(String.join(" ", defaults.javaOptions()));
        defaults.environment().forEach((key, value) -> out.append(", ").append(key).append('=').append(value));
        String extra = System.getenv().getOrDefault("SEALGATE_BENCH_NODE_OPTS", "").trim();
        return extra.isEmpty() ? out.toString() : out + " + " + extra;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * The node's threads (jcmd Thread.print) written to {@code file}, bounded to 30 s: where a mail that never
     * arrived is held. Returns false when no dump could be taken (no jcmd, node gone).
     */
    boolean dumpThreads(Path file) throws InterruptedException {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), "Thread.print", "-l")
                .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                return false;
            }
            return jcmd.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM (the node's shutdown hook stops James cleanly), SIGKILL after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
