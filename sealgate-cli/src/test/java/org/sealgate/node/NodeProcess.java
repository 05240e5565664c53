package org.sealgate.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A gateway node in its own JVM ({@code sealgate node --data DIR}), as in production. Two James servers cannot share
 * one JVM (James's embedded ActiveMQ broker has a fixed VM name), so a second node of a cluster test runs here.
 */
final class NodeProcess implements AutoCloseable {
    private final Path data;
    private final int smtpPort;
    private final Path log;
    private final List<String> jvmOptions;
    private Process process;

    private NodeProcess(Path data, int smtpPort, Path log, List<String> jvmOptions) {
        this.data = data;
        this.smtpPort = smtpPort;
        this.log = log;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Starts the node and waits (up to two minutes) until its SMTP port answers. */
    static NodeProcess start(Path data, int smtpPort, Path log) throws IOException {
        return start(data, smtpPort, log, List.of());
    }

    /** As above, with further JVM options (e.g. {@code -Djdk.net.hosts.file=...}). */
    static NodeProcess start(Path data, int smtpPort, Path log, List<String> jvmOptions) throws IOException {
        NodeProcess node = new NodeProcess(data, smtpPort, log, jvmOptions);
        node.startProcess();
        return node;
    }

    void restart() throws IOException {
        stop();
        startProcess();
    }

    private void startProcess() throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.sealgate.cli.SealgateCli", "node",
            "--data", data.toString()));
        process = new ProcessBuilder(command)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("node exited: " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", smtpPort), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    int smtpPort() {
        return smtpPort;
    }

    Path data() {
        return data;
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** SIGKILL: the node dies at once, as in a crash or power loss (nothing of its shutdown hook runs). */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts the node again after {@link #kill()} or {@link #stop()}; waits until its SMTP port answers. */
    void startAgain() throws IOException {
        startProcess();
    }

    /** SIGTERM: the node's shutdown hook stops James and closes its ZooKeeper session. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
