package org.sealgate.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.sealgate.testing.Prerequisites;

/**
 * {@code sealgate demo} with its GINA portal in a child JVM, as {@code ./sealgate demo} runs it: the portal's
 * classpath is the packaged gina-jetty module, the CLI's is this test JVM's. Shared by the tests that need the
 * whole demo (HTTP client and browser).
 */
final class DemoWithPortal implements AutoCloseable {
    private static final Path GINA_TARGET = Path.of("..", "gina-jetty", "target").toAbsolutePath().normalize();
    private static final Pattern PORTAL = Pattern.compile("GINA portal: https://127.0.0.1:(\\d+)");

    private final Process process;
    private final Path data;
    private final int smtpPort;
    private final int portalPort;

    private DemoWithPortal(Process process, Path data, int smtpPort, int portalPort) {
        this.process = process;
        this.data = data;
        this.smtpPort = smtpPort;
        this.portalPort = portalPort;
    }

    /**
     * The packaged gina-jetty jar and its {@code lib/*}, required as by {@link Prerequisites#require}: a
     * {@code -pl sealgate-cli} build does not package it.
     */
    static String ginaClasspath() throws IOException {
        Path lib = GINA_TARGET.resolve("lib");
        Path jar;
        try (Stream<Path> files = Files.exists(GINA_TARGET) ? Files.list(GINA_TARGET) : Stream.empty()) {
            jar = files.filter(p -> p.getFileName().toString().matches("gina-jetty-.*\\.jar")
                && !p.getFileName().toString().endsWith("-tests.jar")).findFirst().orElse(null);
        }
        Prerequisites.require(jar != null && Files.isDirectory(lib), "gina-jetty is not packaged in " + GINA_TARGET);
        return jar + File.pathSeparator + lib + "/*";
    }

    /**
     * Starts the demo with data under {@code work/demo} (its output in {@code work/demo.log}) and returns once it
     * announces the portal. The node's SMTP server may come up later: see {@link #awaitSmtp()}.
     */
    static DemoWithPortal start(Path work, String ginaClasspath) throws Exception {
        Path data = work.resolve("demo");
        Path log = work.resolve("demo.log");
        int smtp = freePort();
        Process process = new ProcessBuilder(java(), "-Xmx512m", "-D" + DemoPortal.CLASSPATH_PROPERTY + "=" + ginaClasspath,
            "-cp", System.getProperty("java.class.path"), SealgateCli.class.getName(),
            "demo", "--data", data.toString(), "--smtp-port", Integer.toString(smtp))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Matcher announced = Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("demo exited: " + Files.readString(log));
                    }
                    return PORTAL.matcher(Files.readString(log));
                }, Matcher::find);
            return new DemoWithPortal(process, data, smtp, Integer.parseInt(announced.group(1)));
        } catch (RuntimeException | Error e) {
            process.destroyForcibly();
            throw e;
        }
    }

    Path data() {
        return data;
    }

    Path gina() {
        return data.resolve("gina");
    }

    int smtpPort() {
        return smtpPort;
    }

    int portalPort() {
        return portalPort;
    }

    /** The portal is announced before the node's SMTP server is up; sending, and the portal's replies, need it. */
    void awaitSmtp() {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> listening(smtpPort));
    }

    /** The texts of the mails the demo delivered to its local recipients (after decryption), oldest name first. */
    List<String> inbound() throws IOException {
        return texts(data.resolve("mail/inbound"));
    }

    /** The {@code .eml} files in {@code directory}, by name; none while the demo has not created it. */
    static List<Path> emls(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
    }

    /** Stops the demo as Ctrl-C does; true when it has exited within 60 s. */
    boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive() && !stop()) {
            process.destroyForcibly();
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> texts(Path directory) throws IOException {
        List<String> texts = new ArrayList<>();
        for (Path file : emls(directory)) {
            texts.add(Files.readString(file, StandardCharsets.ISO_8859_1));
        }
        return texts;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
