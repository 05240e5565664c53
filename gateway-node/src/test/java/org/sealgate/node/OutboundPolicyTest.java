package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
import org.sealgate.mailets.ApplyPolicy;
import org.sealgate.testing.SmtpSink;

/**
 * The policy engine in a real James node over real SMTP: one mail for recipients with different outcomes is split
 * per outcome, each part goes its own way (S/MIME checked by {@code openssl cms}, plain, bounce with the reason,
 * GINA held), sender triggers are honoured and removed, the tls outcome never reaches a next hop without STARTTLS,
 * and every part has its audit event with the engine's decision.
 */
class OutboundPolicyTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";     // certificate known
    private static final String OLAF = "olaf@open.example";          // opportunistic, nothing known
    private static final String DAVE = "dave@secure.example";        // required, nothing known
    private static final String GINA = "gia@portal.example";         // required, GINA in the order
    private static final String TLS = "tom@mx.tls.example";          // smime, then enforced TLS
    private static final String SAM = "sam@tls-required.example";    // certificate known, and the hop needs TLS
    private static final String VIC = "vic@tls-verified.example";    // nothing known, the hop needs verified TLS
    private static final String POLICY = """
        default.encrypt = opportunistic
        domain.secure.example.encrypt = required
        domain.portal.example.encrypt = required
        domain.portal.example.methods = smime, pgp, gina
        domain.*.tls.example.methods = smime, tls
        domain.demo.sealgate.test.debug-header = on
        domain.tls-required.example.tls = required
        domain.tls-verified.example.tls = verified
        """;

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static IssuedIdentity carol;
    static IssuedIdentity sam;
    static CertificateIssuer demoCa;

    @BeforeAll
    static void startGateway() throws Exception {
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), POLICY,
            List.of(Gateway.MANAGED_DOMAIN));
        demoCa = CertificateIssuer.newCa("Sealgate Test CA");
        gateway.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
        // Bob receives internal mail below: a known recipient (managed key), else 550 at RCPT.
        gateway.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail("bob@" + Gateway.MANAGED_DOMAIN, KeyType.RSA_2048))
            .toManagedIdentity("bob@" + Gateway.MANAGED_DOMAIN));
        carol = CertificateIssuer.newCa("Partner CA").issue(IssueRequest.forEmail(CAROL, KeyType.RSA_2048));
        gateway.keys().addCertificate(carol.certificate());
        sam = CertificateIssuer.newCa("Partner CA 2").issue(IssueRequest.forEmail(SAM, KeyType.EC_P256));
        gateway.keys().addCertificate(sam.certificate());
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
    void aMailForRecipientsWithMixedOutcomesShouldTakeEachOutcomesWay() throws Exception {
        long quarantinedBefore = gateway.quarantined();
        List<String> to = List.of(CAROL, OLAF, DAVE, GINA);
        SmtpClient.send(gateway.smtpPort(), ALICE, to, TestMails.plain(ALICE, to, "Mixed", "pol-mixed", "mixed body"));

        MimeMessage encrypted = receiver.awaitOne(CAROL, "pol-mixed");
        assertThat(encrypted.getContentType()).contains("application/pkcs7-mime");
        byte[] signed = OpenSslChecks.decrypt(work, SmtpSink.raw(encrypted), carol);
        assertThat(new String(OpenSslChecks.verify(work, signed, demoCa.certificate()), StandardCharsets.UTF_8))
            .contains("mixed body");
        MimeMessage plain = receiver.awaitOne(OLAF, "pol-mixed");
        assertThat(plain.getContentType()).contains("multipart/signed");
        assertThat(OpenSslChecks.text(plain)).contains("mixed body");
        assertThat(String.join(" ", plain.getHeader(ApplyPolicy.DEBUG_HEADER)).replaceAll("\\s+", " "))
            .contains(OLAF + "=plain").contains(DAVE + "=bounce").contains(GINA + "=gina");
        MimeMessage bounce = awaitBounceAbout("pol-mixed");
        assertThat(OpenSslChecks.text(bounce)).contains("no certificate known for " + DAVE).doesNotContain("mixed body");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.quarantined() == quarantinedBefore + 1);

        Map<String, Map<String, Object>> events = awaitEventsByRecipient("pol-mixed", 4);
        assertThat(events.get(CAROL)).containsEntry("outcome", "relayed");
        assertThat(policyOf(events.get(CAROL), CAROL)).startsWith("smime (");
        assertThat(recipient(events.get(CAROL), CAROL).get("method").toString()).isEqualTo("smime-sign+smime-encrypt");
        assertThat(events.get(OLAF)).containsEntry("outcome", "relayed");
        assertThat(policyOf(events.get(OLAF), OLAF)).startsWith("plain (").contains("no certificate known for " + OLAF);
        assertThat(events.get(DAVE)).containsEntry("outcome", "bounced");
        assertThat(events.get(DAVE).get("reason").toString()).contains("no certificate known for " + DAVE);
        assertThat(policyOf(events.get(DAVE), DAVE)).startsWith("bounce (");
        // A standalone node (no ZooKeeper) has no account store the portal could see: GINA holds, never clear.
        assertThat(events.get(GINA)).containsEntry("outcome", "held");
        assertThat(events.get(GINA).get("reason").toString()).startsWith("GINA: GINA is not available on this node")
            .contains("no zk.connect");
        assertThat(policyOf(events.get(GINA), GINA)).startsWith("gina (");
        assertThat(receiver.messagesFor(DAVE)).isEmpty();
        assertThat(receiver.messagesFor(GINA)).isEmpty();
    }

    @Test
    void theSecureSubjectTriggerShouldForceEncryptionAndBeRemoved() throws Exception {
        List<String> to = List.of(CAROL, OLAF);
        SmtpClient.send(gateway.smtpPort(), ALICE, to,
            TestMails.plain(ALICE, to, "[secure] Board minutes", "pol-secure", "minutes body"));

        MimeMessage encrypted = receiver.awaitOne(CAROL, "pol-secure");
        assertThat(encrypted.getContentType()).contains("application/pkcs7-mime");
        // Header protection: outside "...", inside the real subject without the trigger.
        assertThat(encrypted.getSubject()).isEqualTo("...");
        String inner = new String(OpenSslChecks.decrypt(work, SmtpSink.raw(encrypted), carol), StandardCharsets.UTF_8);
        assertThat(inner).contains("minutes body").contains("Subject: Board minutes").doesNotContain("[secure]");
        MimeMessage bounce = awaitBounceAbout("pol-secure");
        assertThat(OpenSslChecks.text(bounce)).contains("encryption required by the sender ([secure] in subject)")
            .contains("no certificate known for " + OLAF);
        Map<String, Map<String, Object>> events = awaitEventsByRecipient("pol-secure", 2);
        assertThat(events.get(OLAF)).containsEntry("outcome", "bounced");
        assertThat(policyOf(events.get(OLAF), OLAF)).contains("[secure] in subject");
        assertThat(receiver.messagesFor(OLAF)).noneMatch(m -> SmtpSink.messageId(m).contains("pol-secure"));
    }

    @Test
    void theEncryptHeaderFromATrustedClientShouldForceEncryptionAndNotBeDelivered() throws Exception {
        List<String> to = List.of(CAROL, OLAF);
        byte[] message = TestMails.plain(ALICE, to, "Header trigger", "pol-header", "header body");
        byte[] withHeader = OpenSslChecks.concat("X-Sealgate-Encrypt: yes\r\n".getBytes(StandardCharsets.US_ASCII), message);
        SmtpClient.send(gateway.smtpPort(), ALICE, to, withHeader);

        MimeMessage encrypted = receiver.awaitOne(CAROL, "pol-header");
        assertThat(encrypted.getHeader("X-Sealgate-Encrypt")).isNull();
        assertThat(OpenSslChecks.text(awaitBounceAbout("pol-header"))).contains("X-Sealgate-Encrypt: yes");
        assertThat(receiver.messagesFor(OLAF)).noneMatch(m -> SmtpSink.messageId(m).contains("pol-header"));
    }

    @Test
    void theEncryptHeaderShouldOnlyCountOnTheOutboundPathAndNeverBeDelivered() throws Exception {
        String bob = "bob@" + Gateway.MANAGED_DOMAIN;
        byte[] withHeader = OpenSslChecks.concat("X-Sealgate-Encrypt: yes\r\n".getBytes(StandardCharsets.US_ASCII),
            TestMails.plain(ALICE, List.of(bob), "Internal", "pol-inbound-header", "internal body"));
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(bob), withHeader).code()).isEqualTo(250);

        MimeMessage delivered = receiver.awaitOne(bob, "pol-inbound-header");
        assertThat(delivered.getHeader("X-Sealgate-Encrypt")).isNull();
        assertThat(OpenSslChecks.text(delivered)).contains("internal body");
        Map<String, Object> event = gateway.awaitAuditEvent("pol-inbound-header");
        assertThat(event).containsEntry("direction", "inbound");
        assertThat(recipient(event, bob)).doesNotContainKey("policy");
    }

    @Test
    void theTlsOutcomeShouldNeverBeDeliveredToANextHopWithoutStarttls() throws Exception {
        for (int i = 0; i < 3; i++) {
            SmtpClient.send(gateway.smtpPort(), ALICE, List.of(TLS),
                TestMails.plain(ALICE, List.of(TLS), "Over TLS only", "pol-tls-" + i, "tls body"));
        }
        List<String> both = List.of(SAM, VIC);
        SmtpClient.send(gateway.smtpPort(), ALICE, both,
            TestMails.plain(ALICE, both, "TLS domains", "pol-tls-domains", "tls body"));
        assertThat(policyOf(gateway.awaitAuditEvent("pol-tls-0"), TLS)).startsWith("tls (")
            .contains("delivery over enforced TLS");
        Map<String, Map<String, Object>> events = awaitEventsByRecipient("pol-tls-domains", 2);
        assertThat(policyOf(events.get(SAM), SAM)).startsWith("smime, tls required (").contains("tls=required");
        assertThat(recipient(events.get(SAM), SAM).get("method").toString()).contains("smime-encrypt");
        assertThat(policyOf(events.get(VIC), VIC)).startsWith("tls, tls verified (").contains("delivered only over TLS");

        // Mails sent after them on the ordinary path arrive (ordinary delivery does not require TLS); the TLS-only
        // ones must not, through the first retry (2 s) as well.
        for (int i = 0; i < 3; i++) {
            SmtpClient.send(gateway.smtpPort(), ALICE, List.of(OLAF),
                TestMails.plain(ALICE, List.of(OLAF), "Control", "pol-control-" + i, "control body"));
        }
        for (int i = 0; i < 3; i++) {
            receiver.awaitOne(OLAF, "pol-control-" + i);
        }
        Thread.sleep(5000);
        assertThat(receiver.messagesFor(TLS)).isEmpty();
        assertThat(receiver.messagesFor(SAM)).isEmpty();
        assertThat(receiver.messagesFor(VIC)).isEmpty();
        assertThat(receiver.messages()).noneMatch(m -> OpenSslChecks.text(m).contains("tls body"));
    }

    private static Map<String, Object> recipient(Map<String, Object> event, String address) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> recipients = (List<Map<String, Object>>) event.get("recipients");
        return recipients.stream().filter(r -> address.equalsIgnoreCase(r.get("recipient").toString())).findFirst()
            .orElseThrow();
    }

    private static String policyOf(Map<String, Object> event, String address) {
        return String.valueOf(recipient(event, address).get("policy"));
    }

    /** The audit events of the mail's parts, by recipient, once every recipient has one. */
    private static Map<String, Map<String, Object>> awaitEventsByRecipient(String id, int recipients) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> {
                Map<String, Map<String, Object>> byRecipient = new HashMap<>();
                for (Map<String, Object> event : gateway.auditEvents()) {
                    if (String.valueOf(event.get("messageId")).contains(id)) {
                        @SuppressWarnings("unchecked")
                        List<Map<String, Object>> list = (List<Map<String, Object>>) event.get("recipients");
                        list.forEach(r -> byRecipient.put(r.get("recipient").toString().toLowerCase(Locale.ROOT), event));
                    }
                }
                return byRecipient;
            }, map -> map.size() == recipients);
    }

    private MimeMessage awaitBounceAbout(String idFragment) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> receiver.messagesFor(ALICE).stream()
                .filter(m -> OpenSslChecks.text(m).contains(idFragment)).findFirst(), Optional::isPresent)
            .orElseThrow();
    }
}
