package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A gateway node under test in its own JVM: {@code java -Xmx1g -cp ... SealgateCli node --data DIR}. */
final class NodeProcess implements AutoCloseable {
    private final Process process;

    private NodeProcess(Process process) {
        this.process = process;
    }

    static NodeProcess start(BenchFixture fixture, String classpath, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g"));
        // Extra node JVM options, e.g. a JFR recording while profiling a scenario (not used in measured runs).
        String extra = System.getenv().getOrDefault("SEALGATE_BENCH_NODE_OPTS", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", classpath, "org.sealgate.cli.SealgateCli", "node", "--data",
            fixture.data().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        NodeProcess node = new NodeProcess(process);
        try {
            Ports.await(fixture.smtpPort(), process, Duration.ofSeconds(240), "node (log: " + log + ")");
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw e;
        }
        return node;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
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
