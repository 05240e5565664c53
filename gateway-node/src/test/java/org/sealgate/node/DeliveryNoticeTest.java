package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.RefusingReceiver;

/**
 * Delivery status notices through a real node whose next hop refuses some mailboxes permanently: a notice never
 * carries what arrived encrypted (no body, no protected header), and a notice to an outside address passes the
 * outbound policy like any mail. The attacker replays an encrypted mail to Bob under a forged outside sender.
 */
class DeliveryNoticeTest {
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String GONE = "gone@partner.example";
    private static final String SECRET_SUBJECT = "Project Nightingale";
    private static final String SECRET_TEXT = "The merger closes Friday at 42.5 per share";

    @TempDir
    static Path work;
    static RefusingReceiver nextHop;
    static Gateway gateway;
    static IssuedIdentity bob;

    @BeforeAll
    static void start() throws Exception {
        // Bob's mailbox is refused by the internal server (say, deleted after the mail was queued).
        nextHop = new RefusingReceiver(Set.of(BOB, GONE));
        gateway = Gateway.start(work.resolve("data"), Optional.of(nextHop.hostPort()),
            "default.encrypt = opportunistic\ndomain.strict.example.encrypt = required\n", List.of(Gateway.MANAGED_DOMAIN));
        CertificateIssuer ca = CertificateIssuer.newCa("Sealgate Test CA");
        bob = ca.issue(IssueRequest.forEmail(BOB, KeyType.RSA_2048));
        gateway.keys().addManagedIdentity(bob.toManagedIdentity(BOB));
        gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (nextHop != null) {
            nextHop.close();
        }
    }

    @Test
    void noticeToForgedOutsideSenderShouldCarryNeitherDecryptedBodyNorProtectedSubject() throws Exception {
        String attacker = "attacker@evil.example";
        sendFromOutside(attacker, encryptedToBob("dsn-replay"));

        RefusingReceiver.Received notice = nextHop.awaitFor(attacker, "dsn-replay@client.test");
        String text = notice.text();
        assertThat(notice.sender()).isEmpty();     // the null reverse path: no bounce of the bounce
        assertThat(text).contains("multipart/report", "report-type=delivery-status", "message/delivery-status",
            "text/rfc822-headers", "Final-Recipient: rfc822; " + BOB, "Status: 5.1.1", "User unknown");
        // The headers quoted are the ones that arrived (outer Subject), not the ones decryption restored.
        assertThat(text).contains("Subject: ...");
        assertThat(text).doesNotContain(SECRET_TEXT).doesNotContain(SECRET_SUBJECT);
        assertThat(text).doesNotContain("\r\n\r\nMI");     // nor the ciphertext (base64 CMS starts "MI")
        // Nothing anywhere downstream carries the plaintext.
        assertThat(nextHop.received()).allSatisfy(r -> assertThat(r.text()).doesNotContain(SECRET_TEXT, SECRET_SUBJECT));
        assertThat(auditOutcomes("dsn-replay")).contains("bounced");
    }

    @Test
    void noticeToOutsideSenderWhosePolicyRequiresEncryptionShouldBeHeldNotSentInClear() throws Exception {
        String attacker = "attacker@strict.example";
        long heldBefore = gateway.quarantined();
        sendFromOutside(attacker, encryptedToBob("dsn-strict"));

        // The original bounced; its notice met "encrypt = required" for strict.example with no key: held, not sent.
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> gateway.quarantined() > heldBefore);
        assertThat(auditOutcomes("dsn-strict")).contains("bounced");
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
            .until(() -> nextHop.receivedFor(attacker).isEmpty());
        assertThat(gateway.auditEvents()).anySatisfy(event -> {
            assertThat(event.get("outcome")).isEqualTo("held");
            assertThat(event.get("recipients").toString()).contains(attacker);
        });
        assertThat(nextHop.received()).allSatisfy(r -> assertThat(r.text()).doesNotContain(SECRET_TEXT, SECRET_SUBJECT));
    }

    @Test
    void genuineBounceShouldReachInternalSenderWithReasonAndHeadersButNotTheContent() throws Exception {
        byte[] mail = TestMails.plain(ALICE, List.of(GONE), "Quarterly figures", "dsn-internal", "the figures themselves");
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(GONE), mail).code()).isEqualTo(250);

        RefusingReceiver.Received notice = nextHop.awaitFor(ALICE, "dsn-internal@client.test");
        assertThat(notice.text()).contains("Your message could not be delivered to:", GONE,
            "Recipient address rejected", "Status: 5.1.1", "Subject: Quarterly figures", "text/rfc822-headers");
        assertThat(notice.text()).doesNotContain("the figures themselves");
        assertThat(notice.message().getContentType()).startsWith("multipart/report");
    }

    @Test
    void policyBounceToOutsideSenderShouldPassOutboundPolicyAndNotLeaveInClear() throws Exception {
        // A trusted client relays mail of an outside sender (e.g. a forwarding) that the policy refuses.
        String outside = "someone@strict.example";
        long heldBefore = gateway.quarantined();
        byte[] mail = TestMails.plain(outside, List.of("dave@strict.example"), "Offer", "policy-bounce", "offer text");
        assertThat(SmtpClient.send(gateway.smtpPort(), outside, List.of("dave@strict.example"), mail).code()).isEqualTo(250);

        assertThat(auditOutcomes("policy-bounce")).contains("bounced");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> gateway.quarantined() > heldBefore);
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
            .until(() -> nextHop.receivedFor(outside).isEmpty() && nextHop.receivedFor("dave@strict.example").isEmpty());
    }

    private static List<Object> auditOutcomes(String id) {
        return Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
            .until(() -> gateway.auditEvents().stream()
                .filter(e -> String.valueOf(e.get("messageId")).contains(id))
                .map(e -> e.get("outcome")).toList(), outcomes -> !outcomes.isEmpty());
    }

    /** An S/MIME mail to Bob with a protected Subject (RFC 9788) and secret text, as a partner would send it. */
    private static byte[] encryptedToBob(String id) throws Exception {
        byte[] inner = ("Subject: " + SECRET_SUBJECT + "\r\n"
            + "Content-Type: text/plain; charset=UTF-8; hp=\"cipher\"\r\n\r\n" + SECRET_TEXT + "\r\n")
            .getBytes(StandardCharsets.UTF_8);
        Path cert = Files.createTempFile(work, "bob", ".pem");
        Files.writeString(cert, bob.certificatePem());
        byte[] encrypted = OpenSslChecks.openssl(work, inner, "cms", "-encrypt", "-aes-256-gcm", cert.toString());
        String text = new String(encrypted, StandardCharsets.ISO_8859_1);
        text = text.replaceFirst("^MIME-Version: 1.0\r?\n", "");
        return TestMails.wrap("placeholder", List.of(BOB), "...", id, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** From an untrusted client address, with the forged sender in envelope and From. */
    private static void sendFromOutside(String forgedSender, byte[] template) throws Exception {
        byte[] message = new String(template, StandardCharsets.ISO_8859_1).replaceFirst("From: placeholder", "From: " + forgedSender)
            .getBytes(StandardCharsets.ISO_8859_1);
        try (SmtpClient outside = new SmtpClient("127.0.0.2", gateway.smtpPort())) {
            assertThat(outside.mail(forgedSender, List.of(BOB), message).code()).isEqualTo(250);
        }
    }
}
