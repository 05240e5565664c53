package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.FreePorts;

/**
 * A production node ({@code sealgate node}, its own JVM) never hangs: a start that cannot bind its SMTP port exits
 * 1 within seconds naming the port, and SIGTERM stops it with the exit status systemd expects for a Java service
 * (143, {@code SuccessExitStatus=143}) and no stack trace.
 */
class NodeStartStopTest {
    private static final String POLICY = "default.encrypt = opportunistic\n";

    @TempDir
    Path work;

    @Test
    void nodeOnATakenSmtpPortShouldExitWithinSecondsNamingThePort() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path data = nodeData(squatter.getLocalPort());
            Path log = work.resolve("taken.log");
            Process node = start(data, log);
            try {
                assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("node exited within 30 s").isTrue();
                String output = Files.readString(log, StandardCharsets.UTF_8);
                assertThat(node.exitValue()).as(output).isEqualTo(1);
                assertThat(output).contains("sealgate: cannot start: SMTP port 127.0.0.1:" + squatter.getLocalPort()
                    + " is already in use").contains("smtp.port in " + data.resolve("sealgate.properties"));
                assertThat(output).doesNotContain("\tat ").doesNotContain("Exception");
            } finally {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void sigtermShouldStopTheNodeWithExit143AndNoStackTrace() throws Exception {
        int port = FreePorts.next();
        Path data = nodeData(port);
        Path log = work.resolve("sigterm.log");
        Process node = start(data, log);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
                assertThat(node.isAlive()).as("node running: %s", Files.readString(log)).isTrue();
                return answers(port);
            });
            node.destroy();   // SIGTERM
            assertThat(node.waitFor(NodeStopLimit.SECONDS + 15, TimeUnit.SECONDS)).as("node stopped").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as(output).isEqualTo(143);
            assertThat(output).contains("Sealgate node up").doesNotContain("\tat ").doesNotContain("Exception");
            // The same lines in the node's rotating log file under DATA (the console is the journal's copy).
            assertThat(Files.readString(data.resolve("logs/node.log"))).contains("Sealgate node up: SMTP on 127.0.0.1:" + port);
        } finally {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Path nodeData(int smtpPort) throws IOException {
        Path data = Files.createDirectories(work.resolve("node-" + smtpPort));
        new NodeSettings("gateway.test", "127.0.0.1", smtpPort, List.of("127.0.0.1/32"), List.of("demo.sealgate.test"),
            Optional.empty(), 51200, true).save(data);
        Files.writeString(data.resolve("policy.properties"), POLICY);
        return data;
    }

    private static Process start(Path data, Path log) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
            "-cp", System.getProperty("java.class.path"), "org.sealgate.cli.SealgateCli", "node", "--data", data.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The CLI's stop limit (NodeCommand.STOP_LIMIT_SECONDS, package-private in org.sealgate.cli). */
    private static final class NodeStopLimit {
        static final long SECONDS = 30;
    }
}
