package org.sealgate.bench.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;

/**
 * Inbound benchmark mail, made ahead of the run by independent tools, once per message shape: {@code openssl cms
 * -sign} (S/MIME multipart/signed, SHA-256, by the partner's certificate from the bench CA), then for the encrypted
 * kind {@code openssl cms -encrypt -aes-256-gcm} with RSA-OAEP to the managed recipient's certificate
 * (AuthEnvelopedData); or {@code gpg --sign --encrypt} (uncompressed) by the partner's OpenPGP key to the managed recipient's,
 * wrapped as PGP/MIME. The node holds the managed recipient's keys (S/MIME and OpenPGP) and the partner's OpenPGP
 * certificate as imported; the bench CA is its trust anchor. The outer headers are ours and not protected, so each
 * probe gets the same protected body under its own Message-ID. GnuPG runs in a private home under /tmp (its agent's
 * socket path must be short), removed on close.
 */
final class InboundMail implements AutoCloseable {
    private static final long TOOL_TIMEOUT_SECONDS = 120;
    private static final String PGP_BOUNDARY = "=_sealgate_bench_pgp";

    private final Scenario.Load load;
    private final Path tools;
    private final Path gnupgHome;
    private final Map<MessageShape, String> bodies = new HashMap<>();

    private InboundMail(Scenario.Load load, Path tools, Path gnupgHome) {
        this.load = load;
        this.tools = tools;
        this.gnupgHome = gnupgHome;
    }

    /**
     * Gives the node in {@code data} what it needs of the partner (the managed recipient's S/MIME identity
     * {@code recipient} is already there; for OpenPGP also the recipient's key pair) and prepares the tools' keys in
     * {@code tools}. A node serving several inbound loads (the mixed soak) holds one S/MIME identity for the
     * recipient, shared by them.
     */
    static InboundMail create(Scenario.Load load, Path data, Path tools, CertificateIssuer ca, IssuedIdentity recipient)
        throws IOException {
        Files.createDirectories(tools);
        Files.writeString(tools.resolve("recipient.pem"), recipient.certificatePem(), StandardCharsets.US_ASCII);
        IssuedIdentity partner = ca.issue(IssueRequest.forEmail(BenchFixture.INBOUND_SENDER, KeyType.RSA_2048));
        partner.writePem(tools.resolve("partner.pem"), tools.resolve("partner.key.pem"));
        Path gnupgHome = null;
        if (load == Scenario.Load.PGP_SIGNED_ENCRYPTED) {
            OpenPGPKey recipientPgp = PgpKeys.generate("Dave <" + BenchFixture.INBOUND_RECIPIENT + ">", 4);
            OpenPGPKey partnerPgp = PgpKeys.generate("Carol <" + BenchFixture.INBOUND_SENDER + ">", 4);
            FilePgpKeyDirectory pgp = FilePgpKeyDirectory.open(data);
            pgp.addManagedKey(recipientPgp, null);
            pgp.addPublicKey(partnerPgp.toCertificate(), PgpPublicKey.Source.IMPORTED);
            gnupgHome = Files.createTempDirectory(Path.of("/tmp"), "sgb-gpg");
            Files.writeString(tools.resolve("recipient.asc"), PgpKeys.armored(recipientPgp.toCertificate()),
                StandardCharsets.US_ASCII);
            Files.writeString(tools.resolve("partner.secret.asc"), partnerPgp.toAsciiArmoredString(),
                StandardCharsets.US_ASCII);
            InboundMail mail = new InboundMail(load, tools, gnupgHome);
            mail.gpg("--import", tools.resolve("recipient.asc").toString());
            mail.gpg("--import", tools.resolve("partner.secret.asc").toString());
            return mail;
        }
        return new InboundMail(load, tools, null);
    }

    /** The whole message as submitted (LF line ends, as smtp-source -F wants them). */
    String message(MessageShape shape, String messageId, String subject) {
        String body = bodies.computeIfAbsent(shape, this::protect);
        return "From: " + BenchFixture.INBOUND_SENDER + "\n"
            + "To: " + BenchFixture.INBOUND_RECIPIENT + "\n"
            + "Subject: " + subject + "\n"
            + "Message-ID: <" + messageId + ">\n"
            + "Date: Thu, 1 Jan 2026 00:00:00 +0000\n"
            + "MIME-Version: 1.0\n"
            + body;
    }

    /** The benchmark's content as a MIME entity (Content-Type and body, no message headers). */
    static String innerEntity(MessageShape shape) {
        String message = Messages.message(shape, "inner@bench.sealgate.test", "bench inbound");
        return message.substring(message.indexOf("\nContent-Type:") + 1);
    }

    private String protect(MessageShape shape) {
        try {
            String inner = innerEntity(shape);
            String name = shape.bytes() + (shape.attachment() ? "-att" : "");
            Path in = tools.resolve("inner-" + name + ".txt");
            Files.writeString(in, inner, StandardCharsets.US_ASCII);
            return switch (load) {
                case PLAIN, INBOUND_PLAIN -> inner;
                case SMIME_SIGNED -> withoutMimeVersion(sign(in, name));
                case SMIME_SIGNED_ENCRYPTED -> {
                    Path signed = tools.resolve("signed-" + name + ".txt");
                    Files.writeString(signed, sign(in, name), StandardCharsets.US_ASCII);
                    Path out = tools.resolve("encrypted-" + name + ".txt");
                    run(List.of("openssl", "cms", "-encrypt", "-in", signed.toString(), "-aes-256-gcm",
                        "-recip", tools.resolve("recipient.pem").toString(), "-keyopt", "rsa_padding_mode:oaep",
                        "-out", out.toString()));
                    yield withoutMimeVersion(read(out));
                }
                case PGP_SIGNED_ENCRYPTED -> {
                    // PGP/MIME (RFC 3156): the signed content is the entity in canonical (CRLF) form. Uncompressed,
                    // so that the mail on the wire has the size the run names, as S/MIME's has: GnuPG's default ZLIB
                    // shrank the benchmark's repeated text line 170:1 (a "1 MB" mail was 6 KB, and its baseline
                    // relayed 6 KB), where real mail's bulk, attachments, hardly compresses.
                    Path crlf = tools.resolve("inner-crlf-" + name + ".txt");
                    Files.write(crlf, Messages.crlf(inner));
                    Path out = tools.resolve("encrypted-" + name + ".asc");
                    gpg("--yes", "--trust-model", "always", "--compress-algo", "none", "--armor", "--sign", "--encrypt",
                        "-u", BenchFixture.INBOUND_SENDER, "-r", BenchFixture.INBOUND_RECIPIENT,
                        "-o", out.toString(), crlf.toString());
                    yield "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\""
                        + PGP_BOUNDARY + "\"\n\n"
                        + "--" + PGP_BOUNDARY + "\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n"
                        + "--" + PGP_BOUNDARY + "\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\n\n"
                        + read(out) + "\n--" + PGP_BOUNDARY + "--\n";
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String sign(Path in, String name) throws IOException {
        Path out = tools.resolve("signed-" + name + ".out");
        run(List.of("openssl", "cms", "-sign", "-in", in.toString(), "-signer", tools.resolve("partner.pem").toString(),
            "-inkey", tools.resolve("partner.key.pem").toString(), "-md", "sha256", "-out", out.toString()));
        return read(out);
    }

    /** The tool's output with LF line ends. */
    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).replace("\r\n", "\n");
    }

    /** OpenSSL writes its own MIME-Version line; the message's headers have theirs. */
    private static String withoutMimeVersion(String entity) {
        return entity.startsWith("MIME-Version: 1.0\n") ? entity.substring("MIME-Version: 1.0\n".length()) : entity;
    }

    private void gpg(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", gnupgHome.toString(), "--batch",
            "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""));
        command.addAll(List.of(args));
        run(command);
    }

    private void run(List<String> command) throws IOException {
        Path log = tools.resolve("tool.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + TOOL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + command.get(0) + " ran", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " exited "
                + process.exitValue() + " (log: " + log + ")");
        }
    }

    /** Stops the GnuPG agent of our home and removes the home. */
    @Override
    public void close() throws IOException {
        if (gnupgHome == null) {
            return;
        }
        try {
            run(List.of("gpgconf", "--homedir", gnupgHome.toString(), "--kill", "all"));
        } catch (IOException e) {
            // best effort: the agent exits by itself once its home is gone
        }
        try (Stream<Path> files = Files.walk(gnupgHome)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
