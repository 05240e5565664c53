package org.sealgate.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;

/**
 * An SMTP next hop for tests (the gateway's downstream, the portal's mail server): Postfix's {@code smtp-sink} (Debian package postfix) on a free loopback port,
 * dumping every transaction to a file. A real SMTP server that, unlike GreenMail 1.6, accepts the null sender of
 * bounces. Envelope recipients come from its {@code X-Rcpt-Args} dump headers.
 */
public final class SmtpSink implements AutoCloseable {
    private static final Duration SETTLED = Duration.ofMillis(700);

    private final int port;
    private final Path dumps;
    private final Process sink;

    public SmtpSink(int port) throws IOException {
        this.port = port;
        // smtp-sink drops privileges to 'nobody' when run as root: the dump directory must be writable for it.
        this.dumps = Files.createTempDirectory("sealgate-sink-");
        Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> command = new ArrayList<>(List.of("/usr/sbin/smtp-sink"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody"));
        }
        command.addAll(List.of("-d", dumps + "/%M.", "127.0.0.1:" + port, "64"));
        sink = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dumps.resolveSibling(dumps.getFileName() + ".log").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(this::listening);
    }

    public static SmtpSink onFreePort() throws IOException {
        return new SmtpSink(FreePorts.next());
    }

    public int port() {
        return port;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    private boolean listening() {
        if (!sink.isAlive()) {
            throw new IllegalStateException("smtp-sink exited with " + sink.exitValue());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every completely received message, oldest first. */
    public List<MimeMessage> messages() {
        return dumpFiles().stream().map(SmtpSink::parse).toList();
    }

    /** Messages whose envelope names this recipient. */
    public List<MimeMessage> messagesFor(String address) {
        String wanted = "<" + address.toLowerCase(Locale.ROOT) + ">";
        List<MimeMessage> matching = new ArrayList<>();
        for (Path file : dumpFiles()) {
            MimeMessage message = parse(file);
            try {
                String[] rcpts = message.getHeader("X-Rcpt-Args");
                if (rcpts != null && Stream.of(rcpts).anyMatch(r -> r.toLowerCase(Locale.ROOT).startsWith(wanted))) {
                    matching.add(message);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return matching;
    }

    /** Waits (up to two minutes) for the message to this envelope recipient whose Message-ID contains the fragment. */
    public MimeMessage awaitOne(String recipient, String messageIdFragment) {
        return Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
            .until(() -> messagesFor(recipient).stream()
                .filter(m -> messageId(m).contains(messageIdFragment)).findFirst(), Optional::isPresent)
            .orElseThrow();
    }

    public static String messageId(MimeMessage message) {
        try {
            String id = message.getMessageID();
            return id == null ? "" : id;
        } catch (MessagingException e) {
            return "";
        }
    }

    /** Dump files nobody is writing any more (smtp-sink writes while DATA arrives). */
    private List<Path> dumpFiles() {
        try (Stream<Path> files = Files.list(dumps)) {
            Instant settledBefore = Instant.now().minus(SETTLED);
            return files.filter(Files::isRegularFile)
                .filter(f -> lastModified(f).isBefore(settledBefore))
                .sorted(Comparator.comparing(SmtpSink::lastModified))
                .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.MAX;
        }
    }

    private static MimeMessage parse(Path file) {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(Files.readAllBytes(file)));
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    public static byte[] raw(MimeMessage message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(MimeMessage message) {
        return new String(raw(message), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        sink.destroy();
        try {
            sink.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dumps)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            dumps.resolveSibling(dumps.getFileName() + ".log").toFile().delete();
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a test for
        }
    }
}
