package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.SmtpSink;
import org.sealgate.testing.FreePorts;

/** No open relay, no lost mail (not even after SIGKILL), odd and huge messages, and the books balance. */
class NodeRobustnessTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String POLICY = "default.encrypt = opportunistic\ndomain.secure.example.encrypt = required\n";

    @TempDir
    Path work;

    @Test
    void untrustedClientShouldNotRelayToForeignDomainsButMayWriteToManagedOnes() throws Exception {
        try (SmtpSink receiver = SmtpSink.onFreePort();
             Gateway gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), POLICY,
                 List.of(Gateway.MANAGED_DOMAIN))) {
            // Alice is a known recipient (a managed key): unknown ones are refused at RCPT (UnknownRecipientTest).
            CertificateIssuer ca = CertificateIssuer.newCa("Robustness CA");
            gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
            try (SmtpClient untrusted = new SmtpClient("127.0.0.2", gateway.smtpPort())) {
                assertThat(untrusted.command("MAIL FROM:<spammer@elsewhere.example>").code()).isEqualTo(250);
                SmtpClient.Reply refused = untrusted.command("RCPT TO:<victim@foreign.example>");
                assertThat(refused.code()).isBetween(500, 599);
                assertThat(untrusted.command("RCPT TO:<" + ALICE + ">").code()).isEqualTo(250);
            }
            try (SmtpClient trusted = new SmtpClient("127.0.0.1", gateway.smtpPort())) {
                assertThat(trusted.command("MAIL FROM:<" + ALICE + ">").code()).isEqualTo(250);
                assertThat(trusted.command("RCPT TO:<partner@foreign.example>").code()).isEqualTo(250);
            }
        }
    }

    @Test
    void smtpShouldOfferStartTlsWithTls12OrNewerOnly() throws Exception {
        try (SmtpSink receiver = SmtpSink.onFreePort();
             Gateway gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), POLICY,
                 List.of(Gateway.MANAGED_DOMAIN))) {
            try (SmtpClient client = new SmtpClient(gateway.smtpPort())) {
                assertThat(client.command("EHLO client.test").text()).contains("STARTTLS");
            }
            String connect = "127.0.0.1:" + gateway.smtpPort();
            String tls12 = sClient(connect, "-tls1_2");
            assertThat(tls12).contains("Protocol  : TLSv1.2").contains("CN = gateway.test");
            assertThat(sClient(connect, "-tls1_3")).contains("TLSv1.3");
            // Allow the old protocol on our side of the test, so only the server can be the one refusing it.
            assertThat(sClient(connect, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"))
                .contains("alert protocol version").contains("Cipher is (NONE)");
        }
    }

    private String sClient(String connect, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-starttls", "smtp", "-connect", connect));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void acceptedMailShouldSurviveSigkillOfTheNodeAndBeDeliveredAfterRestart() throws Exception {
        Path data = work.resolve("killed-node");
        Files.createDirectories(data);
        int receiverPort = FreePorts.next();
        NodeSettings settings = new NodeSettings("gateway.test", "127.0.0.1", FreePorts.next(), List.of("127.0.0.1/32"),
            List.of(Gateway.MANAGED_DOMAIN), Optional.of("127.0.0.1:" + receiverPort), 51200, true);
        settings.save(data);
        Files.writeString(data.resolve("policy.properties"), POLICY);

        Process first = startNodeProcess(data, "first");
        try {
            awaitSmtp(settings.smtpPort(), first);
            // The next hop is down, so the mail can only be in the node's queue when the node dies.
            assertThat(SmtpClient.send(settings.smtpPort(), ALICE, List.of("partner@foreign.example"),
                TestMails.plain(ALICE, List.of("partner@foreign.example"), "Survivor", "kill-9", "must not be lost")).code())
                .isEqualTo(250);
        } finally {
            first.destroyForcibly();   // SIGKILL on Linux: no shutdown hook runs
            first.waitFor(30, TimeUnit.SECONDS);
        }

        try (SmtpSink receiver = new SmtpSink(receiverPort)) {
            Process second = startNodeProcess(data, "second");
            try {
                awaitSmtp(settings.smtpPort(), second);
                MimeMessage delivered = Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> receiver.messagesFor("partner@foreign.example"), list -> !list.isEmpty()).get(0);
                assertThat(delivered.getMessageID()).contains("kill-9");
                assertThat(OpenSslChecks.text(delivered)).contains("must not be lost");
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void eightBitLongLineAndTwentyFiveMegabyteMailsShouldBeEncryptedAndOpenWithOpenSsl() throws Exception {
        try (SmtpSink receiver = SmtpSink.onFreePort();
             Gateway gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), POLICY,
                 List.of(Gateway.MANAGED_DOMAIN))) {
            CertificateIssuer ca = CertificateIssuer.newCa("Robustness CA");
            gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
            IssuedIdentity carol = ca.issue(IssueRequest.forEmail("carol@partner.example", KeyType.RSA_2048));
            gateway.keys().addCertificate(carol.certificate());
            List<String> to = List.of("carol@partner.example");

            String longLine = "x".repeat(5000);
            byte[] eightBit = (TestMails.headers(ALICE, to, "Grüße", "big-8bit")
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Grüße aus Zürich — ünïcödé\r\n" + longLine + "\r\n").getBytes(StandardCharsets.UTF_8);
            assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, to, eightBit).code()).isEqualTo(250);
            byte[] huge = TestMails.randomBytes(25 * 1024 * 1024, 25);
            assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, to,
                TestMails.withAttachment(ALICE, to, "Huge", "big-25mb", huge)).code()).isEqualTo(250);

            MimeMessage small = receiver.awaitOne("carol@partner.example", "big-8bit");
            byte[] signed = OpenSslChecks.decrypt(work, SmtpSink.raw(small), carol);
            String content = new String(OpenSslChecks.verify(work, signed, ca.certificate()), StandardCharsets.UTF_8);
            assertThat(OpenSslChecks.parse(content.getBytes(StandardCharsets.UTF_8)).getContent().toString())
                .contains("Grüße aus Zürich — ünïcödé").contains(longLine);

            MimeMessage big = receiver.awaitOne("carol@partner.example", "big-25mb");
            byte[] bigContent = OpenSslChecks.verify(work, OpenSslChecks.decrypt(work, SmtpSink.raw(big), carol),
                ca.certificate());
            assertThat(OpenSslChecks.attachment(bigContent, "report.bin")).isEqualTo(huge);
        }
    }

    @Test
    void everyAcceptedMailShouldBeAccountedForAsRelayedBouncedOrHeld() throws Exception {
        try (SmtpSink receiver = SmtpSink.onFreePort();
             Gateway gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), POLICY,
                 List.of(Gateway.MANAGED_DOMAIN))) {
            // Alice holds a key, so a garbled message to her is recognisably broken (not merely for someone else).
            CertificateIssuer ca = CertificateIssuer.newCa("Accounting CA");
            gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
            List<byte[]> batch = new ArrayList<>();
            List<List<String>> recipients = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                List<String> to = List.of(i % 2 == 0 ? "partner" + i + "@other.example" : "partner" + i + "@secure.example");
                recipients.add(to);
                batch.add(TestMails.plain(ALICE, to, "Batch " + i, "batch-" + i, "body " + i));
            }
            List<String> inbound = List.of(ALICE);
            recipients.add(inbound);
            batch.add(TestMails.wrap("x@foreign.example", inbound, "Garbled", "batch-garbled",
                ("Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + Base64.getMimeEncoder().encodeToString(TestMails.randomBytes(500, 3)) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
            int accepted = 0;
            for (int i = 0; i < batch.size(); i++) {
                String from = i < 6 ? ALICE : "x@foreign.example";
                if (SmtpClient.send(gateway.smtpPort(), from, recipients.get(i), batch.get(i)).code() == 250) {
                    accepted++;
                }
            }
            assertThat(accepted).isEqualTo(7);

            List<Map<String, Object>> events = Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> batchEvents(gateway), list -> list.size() >= 7);
            long relayed = count(events, "relayed");
            long bounced = count(events, "bounced");
            long held = count(events, "held");
            assertThat(relayed + bounced + held).isEqualTo(accepted);
            assertThat(relayed).isEqualTo(3);
            assertThat(bounced).isEqualTo(3);
            assertThat(held).isEqualTo(1);
            // The three relayed mails and the three bounces (to Alice) reach the next hop; the held one does not.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> receiver.messages().size() >= 6);
            assertThat(gateway.quarantined()).isEqualTo(1);
            assertThat(gateway.errors()).as("nothing fell into the error repository").isZero();
        }
    }

    private static List<Map<String, Object>> batchEvents(Gateway gateway) throws IOException {
        return gateway.auditEvents().stream().filter(e -> String.valueOf(e.get("messageId")).contains("batch-")).toList();
    }

    private static long count(List<Map<String, Object>> events, String outcome) {
        return events.stream().filter(e -> outcome.equals(e.get("outcome"))).count();
    }


    private Process startNodeProcess(Path data, String name) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m", "-cp", System.getProperty("java.class.path"),
            "org.sealgate.cli.SealgateCli", "node", "--data", data.toString());
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(work.resolve(name + "-node.log").toFile()).start();
    }

    private void awaitSmtp(int port, Process node) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!node.isAlive()) {
                throw new AssertionError("node exited: " + Files.readString(work.resolve("first-node.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
