package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
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
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.testing.SmtpSink;

/**
 * Inbound S/MIME through a real James node: messages made at test time by OpenSSL and the RFC 9216 vectors made by
 * another implementation are decrypted and verified, the MIME tree intact; bad input gets a clear outcome.
 */
class InboundSmimeTest {
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static CertificateIssuer demoCa;
    static CertificateIssuer partnerCa;
    static IssuedIdentity bob;
    static IssuedIdentity carol;

    @BeforeAll
    static void startGateway() throws Exception {
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), "default.encrypt = opportunistic\n",
            List.of(Gateway.MANAGED_DOMAIN, "smime.example"));
        demoCa = CertificateIssuer.newCa("Sealgate Test CA");
        partnerCa = CertificateIssuer.newCa("Partner CA");
        bob = demoCa.issue(IssueRequest.forEmail(BOB, KeyType.RSA_2048));
        gateway.keys().addManagedIdentity(bob.toManagedIdentity(BOB));
        gateway.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
        gateway.keys().addTrustAnchor(partnerCa.certificate());
        carol = partnerCa.issue(IssueRequest.forEmail("carol@partner.example", KeyType.RSA_2048));

        Path vectors = OpenSslChecks.examplesCms().resolve("certs-and-keys");
        gateway.keys().addManagedIdentity(new ManagedIdentity("bob@smime.example",
            OpenSslChecks.readKey(vectors.resolve("lamps-bob.decrypt.p8.pem")),
            OpenSslChecks.readCertificates(vectors.resolve("lamps-bob.encrypt.crt"))));
        // smime.example is managed here, and only an anchor scoped to a managed domain may vouch for it.
        OpenSslChecks.readCertificates(vectors.resolve("lamps-alice.crt")).forEach(certificate ->
            gateway.keys().addTrustAnchor(new ScopedAnchor(certificate, List.of("smime.example"))));
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
    void mailEncryptedByOpenSslWithAesGcmShouldArriveDecryptedWithAttachmentByteIdentical() throws Exception {
        byte[] attachment = TestMails.randomBytes(70_000, 7);
        byte[] encrypted = OpenSslChecks.openssl(work, entityWithAttachment(attachment), "cms", "-encrypt", "-aes-256-gcm",
            pem(bob));
        send("carol@partner.example", BOB, "Figures", "in-gcm", encrypted);

        MimeMessage received = receiver.awaitOne(BOB, "in-gcm");
        assertThat(received.getHeader("X-Sealgate-Decryption", null)).startsWith("decrypted");
        assertThat(received.getContentType()).startsWith("multipart/mixed");
        assertThat(received.getSubject()).isEqualTo("Figures");
        assertThat(OpenSslChecks.attachment(SmtpSink.raw(received), "report.bin")).isEqualTo(attachment);
        Map<String, Object> event = gateway.awaitAuditEvent("in-gcm");
        assertThat(event).containsEntry("direction", "inbound").containsEntry("outcome", "relayed");
        assertThat(event.get("recipients").toString()).contains("smime-decrypt");
    }

    @Test
    void mailEncryptedByOpenSslWithAesCbcAndOaepShouldArriveDecrypted() throws Exception {
        byte[] attachment = TestMails.randomBytes(5_000, 8);
        byte[] encrypted = OpenSslChecks.openssl(work, entityWithAttachment(attachment), "cms", "-encrypt", "-aes-256-cbc",
            "-recip", pem(bob), "-keyopt", "rsa_padding_mode:oaep");
        send("carol@partner.example", BOB, "CBC", "in-cbc", encrypted);

        MimeMessage received = receiver.awaitOne(BOB, "in-cbc");
        assertThat(OpenSslChecks.attachment(SmtpSink.raw(received), "report.bin")).isEqualTo(attachment);
    }

    @Test
    void signedByTrustedPartnerShouldBeMarkedValidAndItsCertificateHarvestedForOutboundEncryption() throws Exception {
        IssuedIdentity frank = partnerCa.issue(IssueRequest.forEmail("frank@partner.example", KeyType.RSA_2048));
        assertThat(gateway.keys().certificatesFor("frank@partner.example")).isEmpty();
        byte[] signed = sign(frank, entity("Frank's signed note"));
        send("frank@partner.example", BOB, "Signed note", "in-signed", signed);

        MimeMessage received = receiver.awaitOne(BOB, "in-signed");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=frank@partner.example");
        assertThat(received.getSubject()).isEqualTo("[signed OK] Signed note");
        assertThat(gateway.keys().certificatesFor("frank@partner.example")).containsExactly(frank.certificate());

        SmtpClient.send(gateway.smtpPort(), ALICE, List.of("frank@partner.example"),
            TestMails.plain(ALICE, List.of("frank@partner.example"), "Reply", "out-harvested", "now encrypted"));
        MimeMessage reply = receiver.awaitOne("frank@partner.example", "out-harvested");
        assertThat(reply.getContentType()).contains("application/pkcs7-mime");
        assertThat(new String(OpenSslChecks.decrypt(work, SmtpSink.raw(reply), frank))).contains("now encrypted");
    }

    @Test
    void signedThenEncryptedByOpenSslShouldBeDecryptedAndVerified() throws Exception {
        byte[] signed = sign(carol, entity("sign then encrypt"));
        byte[] encrypted = OpenSslChecks.openssl(work, signed, "cms", "-encrypt", "-aes-256-gcm", pem(bob));
        send("carol@partner.example", BOB, "Both", "in-both", encrypted);

        MimeMessage received = receiver.awaitOne(BOB, "in-both");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).startsWith("valid");
        assertThat(OpenSslChecks.text(received)).contains("sign then encrypt");
    }

    @Test
    void tamperedSignedMessageShouldBeMarkedInvalidNeverValid() throws Exception {
        byte[] signed = sign(carol, entity("Pay 100 EUR"));
        byte[] tampered = new String(signed, StandardCharsets.ISO_8859_1).replace("Pay 100 EUR", "Pay 900 EUR")
            .getBytes(StandardCharsets.ISO_8859_1);
        send("carol@partner.example", BOB, "Invoice", "in-tampered", tampered);

        MimeMessage received = receiver.awaitOne(BOB, "in-tampered");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).startsWith("invalid");
        assertThat(received.getSubject()).isEqualTo("[signed INVALID] Invoice");
    }

    @Test
    void signatureBySomeoneElseThanFromShouldBeMarkedSignerMismatch() throws Exception {
        byte[] signed = sign(carol, entity("I am the CEO"));
        send("ceo@partner.example", BOB, "Urgent", "in-mismatch", signed);

        assertThat(receiver.awaitOne(BOB, "in-mismatch").getHeader("X-Sealgate-Signature", null)).startsWith("signer-mismatch");
    }

    @Test
    void signedPartWrappedInUnsignedContentShouldBeMarkedPartial() throws Exception {
        byte[] signed = sign(carol, entity("the signed bit"));
        String boundary = "outer-boundary";
        byte[] wrapped = OpenSslChecks.concat(("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
            + "--" + boundary + "\r\nContent-Type: text/plain\r\n\r\nPlease wire the money today.\r\n"
            + "--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII), stripMimeVersion(signed),
            ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        send("carol@partner.example", BOB, "Wrapped", "in-partial", wrapped);

        MimeMessage received = receiver.awaitOne(BOB, "in-partial");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).startsWith("partial");
        assertThat(received.getSubject()).startsWith("[signed INVALID]");
    }

    @Test
    void forgedSealgateHeaderFromOutsideShouldNotSurvive() throws Exception {
        byte[] message = OpenSslChecks.concat("X-Sealgate-Signature: valid; signer=ceo@partner.example\r\n"
            .getBytes(StandardCharsets.US_ASCII), TestMails.plain("ceo@partner.example", List.of(BOB), "Forged", "in-forged", "hello"));
        SmtpClient.send(gateway.smtpPort(), "ceo@partner.example", List.of(BOB), message);

        assertThat(receiver.awaitOne(BOB, "in-forged").getHeader("X-Sealgate-Signature", null)).isEqualTo("none");
    }

    @Test
    void rfc9216VectorsMadeByAnotherImplementationShouldDecryptAndVerify() throws Exception {
        Path binary = OpenSslChecks.examplesCms().resolve("binary-files");
        send("alice@smime.example", "bob@smime.example", "Vector OAEP", "in-vector-oaep",
            pkcs7Mime("enveloped-data", Files.readAllBytes(binary.resolve("encryptedForBobRSAOaep.p7m"))));
        send("alice@smime.example", "bob@smime.example", "Vector signed", "in-vector-signed",
            pkcs7Mime("signed-data", Files.readAllBytes(binary.resolve("signedByAliceRSA.p7m"))));

        MimeMessage decrypted = receiver.awaitOne("bob@smime.example", "in-vector-oaep");
        assertThat(OpenSslChecks.text(decrypted)).contains("This is some sample content.");
        assertThat(decrypted.getHeader("X-Sealgate-Decryption", null)).startsWith("decrypted");
        MimeMessage verified = receiver.awaitOne("bob@smime.example", "in-vector-signed");
        assertThat(verified.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=alice@smime.example");
        assertThat(OpenSslChecks.text(verified)).contains("This is some sample content.");
    }

    @Test
    void garbledCmsShouldBeQuarantinedWithReasonAndNeverDelivered() throws Exception {
        long before = gateway.quarantined();
        byte[] garbage = TestMails.randomBytes(3000, 99);
        send("carol@partner.example", BOB, "Garbled", "in-garbled", pkcs7Mime("enveloped-data", garbage));

        Map<String, Object> event = gateway.awaitAuditEvent("in-garbled");
        assertThat(event).containsEntry("outcome", "held");
        assertThat(event.get("reason").toString()).contains("S/MIME decryption failed");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.quarantined() == before + 1);
        assertThat(receiver.messagesFor(BOB)).noneMatch(m -> SmtpSink.messageId(m).contains("in-garbled"));
    }

    @Test
    void truncatedCmsShouldBeQuarantined() throws Exception {
        byte[] encrypted = OpenSslChecks.openssl(work, entity("cut short"), "cms", "-encrypt", "-aes-256-gcm", "-outform", "DER", pem(bob));
        byte[] truncated = java.util.Arrays.copyOf(encrypted, encrypted.length / 2);
        send("carol@partner.example", BOB, "Truncated", "in-truncated", pkcs7Mime("authEnveloped-data", truncated));

        assertThat(gateway.awaitAuditEvent("in-truncated")).containsEntry("outcome", "held");
        assertThat(receiver.messagesFor(BOB)).noneMatch(m -> SmtpSink.messageId(m).contains("in-truncated"));
    }

    @Test
    void mailEncryptedToAKeyWeDoNotHoldShouldBeDeliveredUnchangedAndMarked() throws Exception {
        IssuedIdentity stranger = partnerCa.issue(IssueRequest.forEmail("stranger@partner.example", KeyType.RSA_2048));
        byte[] encrypted = OpenSslChecks.openssl(work, entity("end to end"), "cms", "-encrypt", "-aes-256-gcm", pem(stranger));
        send("carol@partner.example", BOB, "E2E", "in-nokey", encrypted);

        MimeMessage received = receiver.awaitOne(BOB, "in-nokey");
        assertThat(received.getHeader("X-Sealgate-Decryption", null)).isEqualTo("no-key");
        assertThat(received.getContentType()).contains("application/pkcs7-mime");
        assertThat(gateway.awaitAuditEvent("in-nokey").get("reason").toString()).contains("does not hold");
    }

    @Test
    void malformedMimeShouldStillGetAClearOutcome() throws Exception {
        byte[] broken = ("From: carol@partner.example\r\nTo: " + BOB + "\r\nSubject: Broken\r\nMessage-ID: <in-malformed@client.test>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"never-closed\"\r\n\r\n"
            + "--never-closed\r\nContent-Type: text/plain\r\n\r\nno end boundary\r\n").getBytes(StandardCharsets.US_ASCII);
        SmtpClient.send(gateway.smtpPort(), "carol@partner.example", List.of(BOB), broken);

        assertThat(gateway.awaitAuditEvent("in-malformed")).containsEntry("outcome", "relayed");
        assertThat(receiver.awaitOne(BOB, "in-malformed").getHeader("X-Sealgate-Signature", null)).isEqualTo("none");
    }

    private void send(String from, String to, String subject, String id, byte[] entity) throws Exception {
        byte[] message = TestMails.wrap(from, List.of(to), subject, id, stripMimeVersion(entity));
        assertThat(SmtpClient.send(gateway.smtpPort(), from, List.of(to), message).code()).isEqualTo(250);
    }

    /** OpenSSL writes its own MIME-Version header; the wrapper adds one already. */
    private static byte[] stripMimeVersion(byte[] entity) {
        String text = new String(entity, StandardCharsets.ISO_8859_1);
        return (text.startsWith("MIME-Version: 1.0\r\n") ? text.substring(19)
            : text.startsWith("MIME-Version: 1.0\n") ? text.substring(18) : text).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] pkcs7Mime(String smimeType, byte[] der) {
        return ("Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=\"smime.p7m\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n"
            + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] entity(String text) {
        return ("Content-Type: text/plain; charset=UTF-8\r\n\r\n" + text + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] entityWithAttachment(byte[] attachment) {
        byte[] message = TestMails.withAttachment("x@x", List.of("y@y"), "s", "entity", attachment);
        String text = new String(message, StandardCharsets.ISO_8859_1);
        return text.substring(text.indexOf("Content-Type: multipart/mixed")).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] sign(IssuedIdentity signer, byte[] entity) throws Exception {
        Path cert = Files.createTempFile(work, "signer", ".pem");
        Path key = Files.createTempFile(work, "signer", ".key");
        signer.writePem(cert, key);
        return OpenSslChecks.openssl(work, entity, "cms", "-sign", "-signer", cert.toString(), "-inkey", key.toString(), "-md", "sha256");
    }

    private static String pem(IssuedIdentity identity) throws Exception {
        Path cert = Files.createTempFile(work, "recip", ".pem");
        Files.writeString(cert, identity.certificatePem());
        return cert.toString();
    }


}
