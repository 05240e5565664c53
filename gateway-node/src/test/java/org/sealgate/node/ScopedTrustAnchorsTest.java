package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.testing.SmtpSink;

/**
 * Trust anchors vouch only for their domains, through a real node over SMTP. The partner's CA (scoped to
 * partner.example) and an old unscoped CA issue certificates claiming the CEO of the managed domain or a user of
 * another partner; mail signed with them, sent from an untrusted client, is never {@code [signed OK]}, and such a
 * certificate is never encrypted to. Certificates of the gateway's own CA for its users and of the partner's CA
 * for the partner still work.
 */
class ScopedTrustAnchorsTest {
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String CEO = "ceo@" + Gateway.MANAGED_DOMAIN;
    private static final String OUTSIDE_CLIENT = "127.0.0.3";   // not in the node's trusted networks

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static CertificateIssuer ownCa;
    static CertificateIssuer partnerCa;
    static CertificateIssuer oldCa;

    @BeforeAll
    static void startGateway() throws Exception {
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), "default.encrypt = opportunistic\n",
            List.of(Gateway.MANAGED_DOMAIN));
        ownCa = CertificateIssuer.newCa("Sealgate Own CA");
        partnerCa = CertificateIssuer.newCa("Partner CA");
        oldCa = CertificateIssuer.newCa("Old Unscoped CA");
        gateway.keys().addTrustAnchor(new ScopedAnchor(ownCa.certificate(), List.of(Gateway.MANAGED_DOMAIN)));
        gateway.keys().addTrustAnchor(new ScopedAnchor(partnerCa.certificate(), ScopedAnchor.parseDomains("partner.example,*.partner.example")));
        gateway.keys().addTrustAnchor(oldCa.certificate());
        gateway.keys().addManagedIdentity(ownCa.issue(IssueRequest.forEmail(BOB, KeyType.RSA_2048)).toManagedIdentity(BOB));
        gateway.keys().addManagedIdentity(ownCa.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
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
    void partnerCaCertificateClaimingTheCeoShouldNotMakeAMailSignedOk() throws Exception {
        IssuedIdentity fakeCeo = partnerCa.issue(IssueRequest.forEmail(CEO, KeyType.RSA_2048));
        sendFromOutside("mallory@partner.example", CEO, BOB, "Wire the money", "ceo-by-partner", sign(fakeCeo, "pay now"));

        MimeMessage received = receiver.awaitOne(BOB, "ceo-by-partner");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).doesNotStartWith("valid").contains("untrusted");
        assertThat(received.getSubject()).doesNotContain("[signed OK]");
        assertThat(gateway.keys().certificatesFor(CEO)).isEmpty();
    }

    @Test
    void unscopedCaShouldNotVouchForAManagedDomain() throws Exception {
        IssuedIdentity fakeCeo = oldCa.issue(IssueRequest.forEmail(CEO, KeyType.RSA_2048));
        sendFromOutside("mallory@old.example", CEO, BOB, "Wire the money", "ceo-by-old-ca", sign(fakeCeo, "pay now"));

        MimeMessage received = receiver.awaitOne(BOB, "ceo-by-old-ca");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).doesNotStartWith("valid");
        assertThat(received.getSubject()).doesNotContain("[signed OK]");
    }

    @Test
    void ownCaScopedToTheManagedDomainShouldStillVouchForOurUsers() throws Exception {
        IssuedIdentity ceo = ownCa.issue(IssueRequest.forEmail(CEO, KeyType.RSA_2048));
        sendFromOutside("ceo-mobile@partner.example", CEO, BOB, "Genuine", "ceo-by-own-ca", sign(ceo, "genuine note"));

        MimeMessage received = receiver.awaitOne(BOB, "ceo-by-own-ca");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=" + CEO);
        assertThat(received.getSubject()).isEqualTo("[signed OK] Genuine");
    }

    @Test
    void partnerCaCertificateForAnotherPartnerShouldNeitherVerifyNorBeEncryptedTo() throws Exception {
        String boss = "boss@other.example";
        IssuedIdentity fakeBoss = partnerCa.issue(IssueRequest.forEmail(boss, KeyType.RSA_2048));
        sendFromOutside(boss, boss, BOB, "Hello", "boss-by-partner", sign(fakeBoss, "send me the figures"));
        MimeMessage received = receiver.awaitOne(BOB, "boss-by-partner");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).doesNotStartWith("valid");
        assertThat(gateway.keys().certificatesFor(boss)).isEmpty();

        // Even when such a certificate is in the store (stored before its CA was scoped), it is not encrypted to.
        gateway.keys().addCertificate(fakeBoss.certificate());
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(boss),
            TestMails.plain(ALICE, List.of(boss), "Figures", "to-boss", "the figures"));
        MimeMessage toBoss = receiver.awaitOne(boss, "to-boss");
        assertThat(toBoss.getContentType()).doesNotContain("pkcs7-mime");
        assertThat(String.valueOf(gateway.awaitAuditEvent("to-boss").get("recipients")))
            .contains("may not vouch for other.example");
    }

    @Test
    void partnerCaCertificateForThePartnerShouldBeValidHarvestedAndEncryptedTo() throws Exception {
        String frank = "Frank@Sales.Partner.Example";
        IssuedIdentity frankId = partnerCa.issue(IssueRequest.forEmail(frank, KeyType.RSA_2048));
        sendFromOutside(frank, frank, BOB, "Signed note", "frank-signed", sign(frankId, "hello from Frank"));

        MimeMessage received = receiver.awaitOne(BOB, "frank-signed");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).startsWith("valid");
        assertThat(received.getSubject()).isEqualTo("[signed OK] Signed note");
        assertThat(String.valueOf(gateway.awaitAuditEvent("frank-signed"))).isNotEmpty();
        assertThat(gateway.auditEvents()).anySatisfy(event -> {
            assertThat(event.get("outcome")).isEqualTo("key-harvested");
            assertThat(String.valueOf(event.get("recipients"))).contains("frank@sales.partner.example")
                .contains("key-store:smime-signer-certificate");
        });

        String lower = "frank@sales.partner.example";
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(lower), TestMails.plain(ALICE, List.of(lower), "Reply", "to-frank", "now encrypted"));
        MimeMessage reply = receiver.awaitOne(lower, "to-frank");
        assertThat(reply.getContentType()).contains("application/pkcs7-mime");
        assertThat(new String(OpenSslChecks.decrypt(work, SmtpSink.raw(reply), frankId), StandardCharsets.UTF_8))
            .contains("now encrypted");
    }

    /** From an untrusted client address, with the envelope sender and the From header given separately. */
    private static void sendFromOutside(String envelopeFrom, String headerFrom, String to, String subject, String id,
                                        byte[] entity) throws Exception {
        byte[] message = TestMails.wrap(headerFrom, List.of(to), subject, id, stripMimeVersion(entity));
        try (SmtpClient client = new SmtpClient(OUTSIDE_CLIENT, gateway.smtpPort())) {
            assertThat(client.mail(envelopeFrom, List.of(to), message).code()).isEqualTo(250);
        }
    }

    private static byte[] sign(IssuedIdentity signer, String text) throws Exception {
        Path cert = Files.createTempFile(work, "signer", ".pem");
        Path key = Files.createTempFile(work, "signer", ".key");
        signer.writePem(cert, key);
        byte[] entity = ("Content-Type: text/plain; charset=UTF-8\r\n\r\n" + text + "\r\n").getBytes(StandardCharsets.UTF_8);
        return OpenSslChecks.openssl(work, entity, "cms", "-sign", "-signer", cert.toString(), "-inkey", key.toString(),
            "-md", "sha256");
    }

    /** OpenSSL writes its own MIME-Version header; the wrapper adds one already. */
    private static byte[] stripMimeVersion(byte[] entity) {
        String text = new String(entity, StandardCharsets.ISO_8859_1);
        return (text.startsWith("MIME-Version: 1.0\r\n") ? text.substring(19)
            : text.startsWith("MIME-Version: 1.0\n") ? text.substring(18) : text).getBytes(StandardCharsets.ISO_8859_1);
    }
}
