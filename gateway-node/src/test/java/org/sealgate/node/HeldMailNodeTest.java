package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.held.HeldMail;
import org.sealgate.held.HeldMailStore;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.mailets.HoldMail;
import org.sealgate.testing.SmtpSink;

/**
 * Held mail in a real node over real SMTP: held by policy into the sealed store (nothing readable on disk), listed
 * with its facts, released through the policy again (held again while the key is missing, out encrypted once it is
 * known, checked with openssl; the sender's encrypt trigger survives the hold), deleted, and the internal sender
 * told (an outside one never).
 */
class HeldMailNodeTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String DAVE = "dave@secure.example";     // encryption required, unencryptable: hold
    private static final String OLAF = "olaf@open.example";       // opportunistic, unencryptable: hold
    private static final String POLICY = """
        default.encrypt = opportunistic
        domain.secure.example.encrypt = required
        domain.secure.example.unencryptable = hold
        domain.open.example.unencryptable = hold
        """;

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static CertificateIssuer demoCa;

    @BeforeAll
    static void startGateway() throws Exception {
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), POLICY,
            List.of(Gateway.MANAGED_DOMAIN));
        demoCa = CertificateIssuer.newCa("Sealgate Test CA");
        gateway.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
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
    void aMailHeldByPolicyShouldBeSealedOnDiskAndListedWithItsFacts() throws Exception {
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(DAVE),
            TestMails.plain(ALICE, List.of(DAVE), "Held merger plans", "held-sealed", "the secret held body"));

        HeldMail held = awaitHeld("held-sealed");
        assertThat(held.sender()).isEqualTo(ALICE);
        assertThat(held.recipients()).containsExactly(DAVE);
        assertThat(held.reason()).contains("no certificate known for " + DAVE);
        assertThat(held.subject()).isEqualTo("Held merger plans");
        assertThat(held.node()).isEqualTo("gateway.test");
        String onDisk = new String(Files.readAllBytes(gateway.layout().held().resolve(held.id() + ".held")),
            StandardCharsets.ISO_8859_1);
        assertThat(onDisk).doesNotContain("merger").doesNotContain("secret held body").doesNotContain("alice")
            .doesNotContain("dave").doesNotContain("held-sealed");
        assertThat(new String(gateway.heldMail().open(held.id()).content(), StandardCharsets.UTF_8))
            .contains("the secret held body");
        Map<String, Object> event = gateway.awaitAuditEvent("held-sealed");
        assertThat(event).containsEntry("outcome", "held");
        // The audit event names the held mail: what `mail held release|delete` takes.
        assertThat(event.get("reason").toString()).contains("no certificate known for " + DAVE)
            .endsWith("(held mail " + held.id() + ")");
        assertThat(receiver.messagesFor(DAVE)).noneMatch(m -> SmtpSink.messageId(m).contains("held-sealed"));
    }

    @Test
    void releaseWithoutAKeyShouldHoldAgainAndOnceTheKeyIsKnownGoOutEncrypted() throws Exception {
        String erin = "erin@secure.example";
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(erin),
            TestMails.plain(ALICE, List.of(erin), "Release me", "held-release", "released body"));
        HeldMail first = awaitHeld("held-release");

        // Attack: an administrator's release cannot send in clear what the policy requires encrypted.
        gateway.heldMail().request(first.id(), HeldMailStore.Action.RELEASE);
        HeldMail second = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> heldWith("held-release").filter(m -> !m.id().equals(first.id())), Optional::isPresent).orElseThrow();
        assertThat(gateway.heldMail().list().mails()).noneMatch(m -> m.id().equals(first.id()));
        assertThat(second.reason()).contains("no certificate known for " + erin);
        assertThat(auditOutcomes("held-release")).contains("held", "released");
        assertThat(receiver.messagesFor(erin)).isEmpty();

        // The key arrives: the same release now goes out encrypted to it.
        IssuedIdentity erinKey = CertificateIssuer.newCa("Partner CA").issue(IssueRequest.forEmail(erin, KeyType.RSA_2048));
        gateway.keys().addCertificate(erinKey.certificate());
        gateway.heldMail().request(second.id(), HeldMailStore.Action.RELEASE);

        MimeMessage encrypted = receiver.awaitOne(erin, "held-release");
        assertThat(encrypted.getContentType()).contains("application/pkcs7-mime");
        byte[] signed = OpenSslChecks.decrypt(work, SmtpSink.raw(encrypted), erinKey);
        String verified = new String(OpenSslChecks.verify(work, signed, demoCa.certificate()), StandardCharsets.UTF_8);
        assertThat(verified).contains("released body");
        // Exactly one signature: the content openssl verified is not itself signed, whatever ran before the hold.
        assertThat(verified).doesNotContainIgnoringCase("multipart/signed").doesNotContainIgnoringCase("pkcs7-signature");
        assertThat(countOf(new String(signed, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT),
            "multipart/signed")).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> heldWith("held-release").isEmpty());
        assertThat(receiver.messages()).filteredOn(m -> SmtpSink.messageId(m).contains("held-release"))
            .allMatch(m -> !OpenSslChecks.text(m).contains("released body"));
    }

    @Test
    void aReleaseShouldKeepTheSendersEncryptTrigger() throws Exception {
        // [secure] made the policy require encryption for Olaf (opportunistic otherwise). The pipeline removes the
        // trigger before the hold; a release of the mail without it would be decided "plain" and go out in clear.
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(OLAF),
            TestMails.plain(ALICE, List.of(OLAF), "[secure] Salaries", "held-trigger", "salary body"));
        HeldMail first = awaitHeld("held-trigger");
        assertThat(first.reason()).contains("[secure] in subject");

        gateway.heldMail().request(first.id(), HeldMailStore.Action.RELEASE);
        HeldMail again = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> heldWith("held-trigger").filter(m -> !m.id().equals(first.id())), Optional::isPresent).orElseThrow();
        assertThat(again.reason()).contains("[secure] in subject");
        assertThat(receiver.messagesFor(OLAF)).noneMatch(m -> SmtpSink.messageId(m).contains("held-trigger"));
    }

    @Test
    void deleteShouldRemoveTheMailAndBeAudited() throws Exception {
        String frank = "frank@secure.example";
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(frank),
            TestMails.plain(ALICE, List.of(frank), "Delete me", "held-delete", "deleted body"));
        HeldMail held = awaitHeld("held-delete");

        gateway.heldMail().request(held.id(), HeldMailStore.Action.DELETE);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> heldWith("held-delete").isEmpty());
        assertThat(gateway.layout().held().resolve(held.id() + ".held")).doesNotExist();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> auditOutcomes("held-delete").contains("deleted"));
        assertThat(receiver.messagesFor(frank)).isEmpty();
    }

    @Test
    void theInternalSenderShouldBeToldWhyTheMailIsHeld() throws Exception {
        String gina = "gina@secure.example";
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(gina),
            TestMails.plain(ALICE, List.of(gina), "Tell me", "held-notice", "notice body"));
        HeldMail held = awaitHeld("held-notice");

        MimeMessage notice = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> receiver.messagesFor(ALICE).stream().filter(m -> held.id().equals(header(m))).findFirst(),
                Optional::isPresent).orElseThrow();
        assertThat(notice.getSubject()).isEqualTo("Held: Tell me");
        assertThat(OpenSslChecks.text(notice)).contains("no certificate known for " + gina).contains(held.id())
            .doesNotContain("notice body");
    }

    @Test
    void aMailHeldOnItsWayInShouldNeverNotifyItsClaimedSender() throws Exception {
        // Inbound S/MIME that cannot be decrypted is held; its envelope sender claims to be Alice (forgeable from
        // outside), so she is not told: a notice would be backscatter.
        String bob = "bob@" + Gateway.MANAGED_DOMAIN;
        gateway.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(bob, KeyType.RSA_2048)).toManagedIdentity(bob));
        byte[] garbage = ("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nTm90IGEgQ01TIHN0cnVjdHVyZQ==\r\n").getBytes(StandardCharsets.US_ASCII);
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(bob),
            TestMails.wrap(ALICE, List.of(bob), "Inbound broken", "held-inbound", garbage));
        HeldMail held = awaitHeld("held-inbound");

        Thread.sleep(3000);     // a notice would have been delivered by now (the internal one above takes < 1 s)
        assertThat(receiver.messagesFor(ALICE)).noneMatch(m -> held.id().equals(header(m)));
    }

    private static String header(MimeMessage message) {
        try {
            String[] values = message.getHeader(HoldMail.NOTICE_HEADER);
            return values == null ? null : values[0];
        } catch (javax.mail.MessagingException e) {
            return null;
        }
    }

    private static HeldMail awaitHeld(String messageIdFragment) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> heldWith(messageIdFragment), Optional::isPresent).orElseThrow();
    }

    private static Optional<HeldMail> heldWith(String messageIdFragment) throws Exception {
        return gateway.heldMail().list().mails().stream().filter(m -> m.messageId().contains(messageIdFragment)).findFirst();
    }

    private static List<String> auditOutcomes(String messageIdFragment) throws Exception {
        return gateway.auditEvents().stream().filter(e -> String.valueOf(e.get("messageId")).contains(messageIdFragment))
            .map(e -> String.valueOf(e.get("outcome"))).toList();
    }

    private static int countOf(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
