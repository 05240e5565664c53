package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code node drain|resume} when there is no node to reach: a clear message and exit 1, never a stack trace. */
class NodeDrainCommandTest {
    @TempDir
    Path data;

    @Test
    void drainShouldSayNoRunningNodeWhenTheDataDirectoryHasNoEndpoint() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = NodeDrainCommand.run(List.of("drain", "--data", data.toString()), System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no running node in " + data, "admin/endpoint");
    }

    @Test
    void drainShouldSayTheEndpointDoesNotAnswerWhenTheNodeIsGone() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        Files.createDirectories(data.resolve("admin"));
        Files.writeString(data.resolve("admin/endpoint"), "127.0.0.1:" + port + "\n");
        Files.writeString(data.resolve("admin/token"), "stale-token\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = NodeDrainCommand.run(List.of("resume", "--data", data.toString()), System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not answer", "is the node running?");
    }

    @Test
    void waitShouldBeBoundedAndResumeShouldTakeNoWait() {
        assertThatThrownBy(() -> NodeDrainCommand.run(List.of("drain", "--data", data.toString(), "--wait", "-1"),
            System.out, System.err)).isInstanceOf(Arguments.UsageException.class).hasMessageContaining("--wait");
        assertThatThrownBy(() -> NodeDrainCommand.run(List.of("resume", "--wait", "5"), System.out, System.err))
            .isInstanceOf(Arguments.UsageException.class).hasMessageContaining("unknown option --wait");
    }
}
