package org.sealgate.bench.smtp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The downstream receiver: Postfix's {@code smtp-sink} dumping each transaction to its own file. A dump file is
 * written while DATA arrives and closed at the final dot, so its modification time is the message's arrival time.
 * Run as root, smtp-sink drops to {@code nobody}, hence the world-writable dump directory, made in the system's
 * temporary directory (which nobody can traverse, unlike a private work directory such as JUnit's) and removed at close.
 */
final class Sink implements AutoCloseable {
    private final int port;
    private final Path dumps;
    private final Process process;

    Sink(int port, Path log) throws IOException, InterruptedException {
        this.port = port;
        this.dumps = Files.createTempDirectory("sealgate-bench-sink-");
        Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> command = new ArrayList<>(List.of("/usr/sbin/smtp-sink"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody"));
        }
        command.addAll(List.of("-d", dumps + "/msg.", "127.0.0.1:" + port, "256"));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Ports.await(port, process, Duration.ofSeconds(20), "smtp-sink");
    }

    int port() {
        return port;
    }

    /** Dump files so far (complete or still being written). */
    List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dumps)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** Deletes every dump file (between runs, when the sink is idle). */
    void clear() throws IOException {
        for (Path file : files()) {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            clear();
            Files.deleteIfExists(dumps);
        } catch (IOException e) {
            // a leftover empty temporary directory is not worth failing a benchmark for
        }
    }
}
