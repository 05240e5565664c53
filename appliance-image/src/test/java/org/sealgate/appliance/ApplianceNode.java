package org.sealgate.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What the install and upgrade tests do with a booted appliance: configure it with {@code sealgate setup --from},
 * give it a partner's certificate, start the node, send mail to it and read what the next hop got.
 */
final class ApplianceNode {
    static final String PARTNER = "carol@partner.example";
    static final String SENDER = "alice@example.org";
    private static final Duration COMMAND = Duration.ofMinutes(3);

    private ApplianceNode() {
    }

    /** A partner certificate and key made with openssl in {@code directory} (carol.pem, carol.key). */
    static void createPartner(Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Command.check(COMMAND, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", directory.resolve("carol.key").toString(), "-out", directory.resolve("carol.pem").toString(),
            "-days", "30", "-subj", "/CN=Carol/emailAddress=" + PARTNER, "-addext", "subjectAltName=email:" + PARTNER,
            "-addext", "keyUsage=digitalSignature,keyEncipherment", "-addext", "extendedKeyUsage=emailProtection");
    }

    /** Setup from a file (as an automated install would), the partner's certificate imported, the node started. */
    static void configureAndStart(BootedAppliance appliance, Path root, int smtpPort, int nextHopPort)
            throws IOException, InterruptedException {
        Files.writeString(root.resolve("root/setup.properties"), """
            node.id = appliance1
            node.hostname = appliance1.example.org
            domains.managed = example.org
            smtp.host = 127.0.0.1
            smtp.port = %d
            smtp.trusted-networks = 127.0.0.1/32
            delivery.relay = 127.0.0.1:%d
            """.formatted(smtpPort, nextHopPort));
        createPartner(root.resolve("srv/partner"));
        Files.setPosixFilePermissions(root.resolve("srv/partner/carol.pem"),
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        appliance.check(COMMAND, "sealgate", "setup", "--from", "/root/setup.properties");
        appliance.check(COMMAND, "runuser", "-u", "sealgate", "--", "sealgate", "keys", "import-cert",
            "/srv/partner/carol.pem", "--data", "/var/lib/sealgate");
        appliance.check(COMMAND, "systemctl", "enable", "--now", "sealgate-node.service");
        awaitListening(smtpPort, Duration.ofMinutes(4), appliance);
    }

    static void awaitListening(int port, Duration timeout, BootedAppliance appliance) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(1000);
            }
        }
        throw new IllegalStateException("the node did not listen on " + port + " within " + timeout + ":\n"
            + (appliance == null ? "" : appliance.run(Duration.ofMinutes(1), "journalctl", "-u", "sealgate-node",
                "--no-pager", "-n", "60").output()));
    }

    /** One mail from a managed sender to the partner, through the appliance's SMTP port (swaks). */
    static void send(int smtpPort, String messageId, String body) throws IOException, InterruptedException {
        Command.check(COMMAND, "swaks", "--server", "127.0.0.1:" + smtpPort, "--from", SENDER, "--to", PARTNER,
            "--header", "Message-Id: <" + messageId + ">", "--header", "Subject: quarterly figures", "--body", body);
    }

    /** Decrypts what the next hop got with the partner's key (openssl cms) and returns the clear text. */
    static String decryptAsPartner(byte[] delivered, Path partner, Path scratch) throws IOException, InterruptedException {
        Path mail = scratch.resolve("delivered.eml");
        Files.write(mail, delivered);
        assertThat(new String(delivered, java.nio.charset.StandardCharsets.UTF_8))
            .contains("application/pkcs7-mime");
        return Command.check(COMMAND, "openssl", "cms", "-decrypt", "-in", mail.toString(),
            "-recip", partner.resolve("carol.pem").toString(), "-inkey", partner.resolve("carol.key").toString());
    }
}
