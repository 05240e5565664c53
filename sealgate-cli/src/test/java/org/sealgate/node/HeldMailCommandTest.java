package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.SmtpSink;

/**
 * {@code sealgate mail held ...} as an administrator runs it (its own JVM, the node's data directory) against a
 * running node: list, show, release (held again without a key; after {@code keys import-cert} out encrypted, checked
 * with openssl), delete; no SMTP client, trusted or not, can make the node release anything.
 */
class HeldMailCommandTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final Pattern ID = Pattern.compile("^([0-9a-f]{24})  ", Pattern.MULTILINE);
    private static final String POLICY = """
        default.encrypt = opportunistic
        domain.secure.example.encrypt = required
        domain.secure.example.unencryptable = hold
        """;

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static CertificateIssuer demoCa;

    @BeforeAll
    static void startGateway() throws Exception {
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), POLICY, List.of(Gateway.MANAGED_DOMAIN));
        demoCa = CertificateIssuer.newCa("Held CLI CA");
        gateway.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
        gateway.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(BOB, KeyType.RSA_2048)).toManagedIdentity(BOB));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void listShowReleaseAndReleaseAgainAfterTheKeyIsImported() throws Exception {
        String dave = "dave@secure.example";
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(dave),
            TestMails.plain(ALICE, List.of(dave), "CLI held subject", "cli-release", "cli secret body"));
        String id = awaitListed("CLI held subject");

        String list = cli(0, "mail", "held", "list");
        assertThat(list).contains(id).contains("from " + ALICE).contains("to " + dave)
            .contains("reason:  policy requires encryption: no certificate known for " + dave);
        String show = cli(0, "mail", "held", "show", id);
        assertThat(show).contains("Held-Id: " + id).contains("Envelope-To: " + dave).contains("Subject: CLI held subject")
            .contains("(body not shown: --body)").doesNotContain("cli secret body");
        assertThat(cli(0, "mail", "held", "show", id, "--body")).contains("cli secret body");

        // No key yet: the release runs the policy again and the mail is held again, never sent in clear.
        assertThat(cli(0, "mail", "held", "release", id)).contains("released " + id);
        String again = awaitListed("CLI held subject");
        assertThat(again).isNotEqualTo(id);
        assertThat(receiver.messagesFor(dave)).isEmpty();

        IssuedIdentity daveKey = CertificateIssuer.newCa("Partner CA").issue(IssueRequest.forEmail(dave, KeyType.RSA_2048));
        Path pem = work.resolve("dave.pem");
        Files.writeString(pem, daveKey.certificatePem(), StandardCharsets.US_ASCII);
        cli(0, "keys", "import-cert", pem.toString());
        assertThat(cli(0, "mail", "held", "release", again)).contains("released " + again);

        MimeMessage encrypted = receiver.awaitOne(dave, "cli-release");
        assertThat(encrypted.getContentType()).contains("application/pkcs7-mime");
        assertThat(new String(SmtpSink.raw(encrypted), StandardCharsets.UTF_8)).doesNotContain("cli secret body");
        byte[] signed = OpenSslChecks.decrypt(work, SmtpSink.raw(encrypted), daveKey);
        assertThat(new String(OpenSslChecks.verify(work, signed, demoCa.certificate()), StandardCharsets.UTF_8))
            .contains("cli secret body");
        assertThat(cli(0, "mail", "held", "list")).doesNotContain("CLI held subject");
    }

    @Test
    void deleteShouldRemoveTheMailAndTheAuditTrailShouldSaySo() throws Exception {
        String erin = "erin@secure.example";
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(erin),
            TestMails.plain(ALICE, List.of(erin), "CLI delete subject", "cli-delete", "deleted body"));
        String id = awaitListed("CLI delete subject");

        assertThat(cli(0, "mail", "held", "delete", id)).contains("deleted " + id);

        assertThat(cli(0, "mail", "held", "list")).doesNotContain(id);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.auditEvents().stream()
            .anyMatch(e -> "deleted".equals(e.get("outcome")) && String.valueOf(e.get("reason")).contains(id)));
        assertThat(cli(1, "mail", "held", "show", id)).contains("no held mail " + id);
    }

    @Test
    void noSmtpClientShouldBeAbleToReleaseHeldMail() throws Exception {
        String frank = "frank@secure.example";
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(frank),
            TestMails.plain(ALICE, List.of(frank), "CLI forge subject", "cli-forge", "forge body"));
        String id = awaitListed("CLI forge subject");

        // Attempts over SMTP, from an untrusted and from a trusted client: a "release" mail to the gateway's own
        // addresses carrying the id, and our marker headers (dropped at the transport as forged marks).
        String forged = "X-Sealgate-Release: " + id + "\r\nX-Sealgate-Held-Notice: " + id + "\r\n";
        byte[] attempt = (forged + TestMails.headers(ALICE, List.of("postmaster@" + Gateway.MANAGED_DOMAIN),
            "release " + id, "cli-forge-attempt") + "Content-Type: text/plain\r\n\r\nrelease " + id + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        try (SmtpClient untrusted = new SmtpClient("127.0.0.2", gateway.smtpPort())) {
            untrusted.mail(ALICE, List.of("postmaster@" + Gateway.MANAGED_DOMAIN), attempt);
        }
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of("postmaster@" + Gateway.MANAGED_DOMAIN), attempt);
        Thread.sleep(3000);     // the node acts on a real request within about half a second

        assertThat(cli(0, "mail", "held", "list")).contains(id);
        assertThat(receiver.messagesFor(frank)).isEmpty();
        assertThat(gateway.auditEvents()).noneMatch(e -> "released".equals(e.get("outcome"))
            && String.valueOf(e.get("reason")).contains(id));
        // The request directory is the only way in, and only the node's user can write there.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(gateway.layout().held()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(gateway.layout().data()))).isEqualTo("rwx------");
    }

    @Test
    void anIdThatIsNotAHeldMailShouldBeRefusedWithTheReason() throws Exception {
        assertThat(cli(2, "mail", "held", "release", "../../etc/passwd")).contains("is not a held mail id");
        assertThat(cli(1, "mail", "held", "release", "0".repeat(24))).contains("no held mail " + "0".repeat(24));
    }

    /** The id of the one listed mail with this subject, once the node has held it. */
    private static String awaitListed(String subject) {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String list = cli(0, "mail", "held", "list");
            int at = list.indexOf("subject: " + subject);
            if (at < 0) {
                return Optional.<String>empty();
            }
            Matcher matcher = ID.matcher(list.substring(0, at));
            String last = null;
            while (matcher.find()) {
                last = matcher.group(1);
            }
            return Optional.ofNullable(last);
        }, Optional::isPresent).orElseThrow();
    }

    /** Runs {@code sealgate ARGS --data DATA} in its own JVM; returns stdout and stderr, checks the exit status. */
    private static String cli(int expectedStatus, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.sealgate.cli.SealgateCli"));
        command.addAll(List.of(args));
        command.addAll(List.of("--data", gateway.layout().data().toString()));
        Path output = Files.createTempFile(work, "cli-", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("sealgate " + String.join(" ", args) + " did not end within 120 s");
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit status of sealgate %s: %s", String.join(" ", args), text)
            .isEqualTo(expectedStatus);
        return text;
    }
}
