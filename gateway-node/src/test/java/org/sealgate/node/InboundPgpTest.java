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
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.testing.OpenPgpPackets;
import org.sealgate.testing.OpenPgpTools;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.SmtpSink;

/**
 * Inbound OpenPGP through a real James node: mail made at test time by GnuPG 2.2 and sqop (PGP/MIME encrypted and
 * signed, PGP/MIME signed, inline) arrives decrypted and marked, attachments byte-identical; v6/SEIPDv2 made by
 * Bouncy Castle too. Tampering, garbage, a missing MDC, a key we do not hold and a revoked signer key each get a
 * clear outcome and an audit event; no plaintext that failed its integrity check is delivered.
 */
class InboundPgpTest {
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;      // sqop key, managed
    private static final String FRANK = "frank@" + Gateway.MANAGED_DOMAIN;  // v6 key, managed
    private static final String CAROL = "carol@partner.example";            // gpg key, imported
    private static final String DAVE = "dave@partner.example";              // sqop key, imported
    private static final String ERIN = "erin@v6.example";                   // v6 key, imported
    private static final String GINA = "gina@partner.example";              // gpg key, only in her mail
    private static final String RITA = "rita@partner.example";              // gpg key, revoked

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static OpenPgpTools tools;
    static OpenPGPKey erinKey;
    static OpenPGPCertificate frankCert;

    @BeforeAll
    static void start() throws Exception {
        tools = new OpenPgpTools();
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), "default.encrypt = opportunistic\n",
            List.of(Gateway.MANAGED_DOMAIN));
        var pgp = gateway.pgpKeys();
        tools.write("bob.key", tools.sqopGenerateKey("Bob <" + BOB + ">"));
        PgpManagedKey bob = pgp.addManagedKey((OpenPGPKey) PgpKeys.read(tools.read("bob.key")), null);
        tools.write("bob.cert", PgpKeys.armored(bob.certificate()));
        OpenPgpTools.check(tools.gpg("--import", "bob.cert"));
        frankCert = pgp.addManagedKey(PgpKeys.generate("Frank <" + FRANK + ">", 6), null).certificate();
        pgp.addPublicKey(PgpKeys.read(tools.gpgGenerateKey("Carol <" + CAROL + ">")), PgpPublicKey.Source.IMPORTED);
        tools.write("dave.key", tools.sqopGenerateKey("Dave <" + DAVE + ">"));
        pgp.addPublicKey(PgpKeys.read(tools.sqopExtractCert("dave.key")), PgpPublicKey.Source.IMPORTED);
        erinKey = PgpKeys.generate("Erin <" + ERIN + ">", 6);
        pgp.addPublicKey(erinKey.toCertificate(), PgpPublicKey.Source.IMPORTED);
        tools.gpgGenerateKey("Gina <" + GINA + ">");
        tools.gpgGenerateKey("Rita <" + RITA + ">");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (tools != null) {
            tools.close();
        }
    }

    /** gpg signs with the sender's key and encrypts to Bob: RFC 3156 §6.2, as Thunderbird and Enigmail do. */
    private static String gpgSignAndEncrypt(String sender, String entity, String file) {
        tools.write(file + ".eml", entity);
        OpenPgpTools.check(tools.gpg("--armor", "--sign", "--local-user", sender, "--encrypt", "--recipient", BOB,
            "--output", file + ".asc", file + ".eml"));
        return new String(tools.read(file + ".asc"), StandardCharsets.US_ASCII);
    }

    private static void send(String from, String to, byte[] message) throws Exception {
        assertThat(SmtpClient.send(gateway.smtpPort(), from, List.of(to), message).code()).isEqualTo(250);
    }

    @Test
    void mailSignedAndEncryptedByGpgShouldArriveDecryptedWithAttachmentIntactAndTrustedSignature() throws Exception {
        byte[] attachment = TestMails.randomBytes(80_000, 21);
        String armored = gpgSignAndEncrypt(CAROL, PgpMails.entityWithAttachment(CAROL, "Real subject", attachment), "in-gpg");
        send(CAROL, BOB, PgpMails.encrypted(CAROL, BOB, "...", "pgp-in-gpg", armored));

        MimeMessage received = receiver.awaitOne(BOB, "pgp-in-gpg");
        assertThat(TestMessages.attachment(received)).isEqualTo(attachment);
        assertThat(received.getSubject()).isEqualTo("[PGP OK] Real subject");
        assertThat(received.getHeader("X-Sealgate-Decryption", null)).startsWith("decrypted; method=openpgp; algorithm=SEIPDv1");
        assertThat(received.getHeader("X-Sealgate-Signature", null))
            .isEqualTo("valid; signer=" + CAROL + "; method=openpgp; trust=imported");
        assertThat(gateway.awaitAuditEvent("pgp-in-gpg").get("recipients").toString()).contains("pgp-decrypt+pgp-verify:valid");
    }

    @Test
    void pgpMimeSignedBySqopShouldBeVerifiedOverTheCanonicalForm() throws Exception {
        // RFC 3156 §5: the signed data ends before the CRLF that precedes the boundary.
        String part = "Content-Type: text/plain; charset=UTF-8\r\n\r\nSigned by sqop.\r\nSecond line.";
        tools.write("part.txt", part);
        String signature = OpenPgpTools.check(tools.shell("sqop sign --as=binary dave.key < part.txt")).out();
        send(DAVE, BOB, PgpMails.signed(DAVE, BOB, "Signed note", "pgp-in-signed", part, signature));

        MimeMessage received = receiver.awaitOne(BOB, "pgp-in-signed");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=" + DAVE + "; method=openpgp; trust=imported");
        assertThat(received.getSubject()).isEqualTo("[PGP OK] Signed note");
    }

    @Test
    void inlinePgpMessageFromSqopShouldBeDecryptedInPlace() throws Exception {
        tools.write("inline.txt", "Inline secret from sqop.\n");
        String armored = OpenPgpTools.check(tools.shell("sqop encrypt --as=text bob.cert < inline.txt")).out();
        send(DAVE, BOB, TestMails.plain(DAVE, List.of(BOB), "Inline", "pgp-in-inline", "Hello Bob,\r\n\r\n" + PgpMails.crlf(armored)));

        MimeMessage received = receiver.awaitOne(BOB, "pgp-in-inline");
        assertThat(received.getHeader("X-Sealgate-Decryption", null)).startsWith("decrypted; method=openpgp-inline");
        assertThat(TestMessages.firstText(received)).contains("Hello Bob,").contains("Inline secret from sqop.")
            .doesNotContain("BEGIN PGP MESSAGE");
    }

    @Test
    void v6MailWithSeipdV2ShouldBeDecryptedAndVerified() throws Exception {
        MimeMessage inner = TestMessages.parse(TestMails.plain(ERIN, List.of(FRANK), "AEAD subject", "pgp-in-v6", "v6 body"));
        MimeMessage encrypted = new PgpCrypto().encrypt(inner, List.of(frankCert),
            Optional.of(new PgpManagedKey(ERIN, erinKey, c -> null)), null);
        send(ERIN, FRANK, TestMessages.bytes(encrypted));

        MimeMessage received = receiver.awaitOne(FRANK, "pgp-in-v6");
        assertThat(received.getHeader("X-Sealgate-Decryption", null)).isEqualTo("decrypted; method=openpgp; algorithm=SEIPDv2 AES-256 OCB");
        assertThat(received.getSubject()).isEqualTo("[PGP OK] AEAD subject");
        assertThat(SmtpSink.text(received)).contains("v6 body");
    }

    @Test
    void signerKeyThatCameWithTheMailShouldGiveValidButUntrustedAndBeHarvested() throws Exception {
        String armored = gpgSignAndEncrypt(GINA, "From: " + GINA + "\r\nContent-Type: text/plain\r\n\r\nhi\r\n", "in-gina");
        String keydata = Base64.getEncoder().encodeToString(OpenPgpTools.check(tools.gpg("--export", GINA)).stdout());
        byte[] message = PgpMails.encrypted(GINA, BOB, "New contact", "pgp-in-harvest", armored);
        byte[] withAutocrypt = ("Autocrypt: addr=" + GINA + "; keydata=" + keydata + "\r\n"
            + new String(message, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        send(GINA, BOB, withAutocrypt);

        MimeMessage received = receiver.awaitOne(BOB, "pgp-in-harvest");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).isEqualTo("valid; signer=" + GINA + "; method=openpgp; trust=untrusted");
        assertThat(received.getSubject()).startsWith("[PGP UNTRUSTED]");
        assertThat(gateway.pgpKeys().publicKeysFor(GINA)).singleElement()
            .satisfies(key -> assertThat(key.source()).isEqualTo(PgpPublicKey.Source.HARVESTED));
    }

    @Test
    void signatureByARevokedKeyShouldBeMarkedInvalid() throws Exception {
        String armored = gpgSignAndEncrypt(RITA, "From: " + RITA + "\r\nContent-Type: text/plain\r\n\r\nold key\r\n", "in-rita");
        String fingerprint = OpenPgpTools.check(tools.gpg("--with-colons", "--list-keys", RITA)).out().lines()
            .filter(line -> line.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
        tools.write("rita-revoke.asc", Files.readString(tools.file("gnupg/openpgp-revocs.d/" + fingerprint + ".rev"))
            .replace(":-----BEGIN", "-----BEGIN"));
        OpenPgpTools.check(tools.gpg("--import", "rita-revoke.asc"));
        gateway.pgpKeys().addPublicKey(PgpKeys.read(tools.gpgExportPublic(RITA)), PgpPublicKey.Source.IMPORTED);
        send(RITA, BOB, PgpMails.encrypted(RITA, BOB, "Revoked", "pgp-in-revoked", armored));

        MimeMessage received = receiver.awaitOne(BOB, "pgp-in-revoked");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).startsWith("revoked;");
        assertThat(received.getSubject()).startsWith("[PGP INVALID]");
    }

    @Test
    void tamperedCiphertextShouldBeQuarantinedAndNeverDelivered() throws Exception {
        String armored = gpgSignAndEncrypt(CAROL, "Content-Type: text/plain\r\n\r\n" + "confidential ".repeat(300) + "\r\n", "in-tamper");
        send(CAROL, BOB, PgpMails.encrypted(CAROL, BOB, "Tampered", "pgp-in-tampered", OpenPgpPackets.flipBit(armored, 30)));

        assertQuarantined("pgp-in-tampered", "OpenPGP decryption failed");
    }

    @Test
    void corruptPacketsShouldBeQuarantined() throws Exception {
        String garbage = OpenPgpPackets.armor(TestMails.randomBytes(2000, 5));
        send(CAROL, BOB, PgpMails.encrypted(CAROL, BOB, "Garbage", "pgp-in-garbage", garbage));

        assertQuarantined("pgp-in-garbage", "OpenPGP decryption failed");
    }

    @Test
    void messageWithoutMdcShouldBeQuarantined() throws Exception {
        OpenPGPCertificate bob = gateway.pgpKeys().managedKey(BOB).orElseThrow().certificate();
        String armored = OpenPgpPackets.encryptWithoutMdc(("Content-Type: text/plain\r\n\r\n" + "efail ".repeat(50))
            .getBytes(StandardCharsets.US_ASCII), bob);
        send(CAROL, BOB, PgpMails.encrypted(CAROL, BOB, "Legacy", "pgp-in-nomdc", armored));

        assertQuarantined("pgp-in-nomdc", "integrity");
    }

    @Test
    void mailEncryptedToAKeyWeDoNotHoldShouldBeDeliveredUnchangedAndMarked() throws Exception {
        tools.write("in-stranger.txt", "end to end\n");
        String armored = OpenPgpTools.check(tools.gpg("--armor", "--encrypt", "--recipient", CAROL, "--output", "-", "in-stranger.txt")).out();
        send(CAROL, BOB, PgpMails.encrypted(CAROL, BOB, "E2E", "pgp-in-nokey", armored));

        MimeMessage received = receiver.awaitOne(BOB, "pgp-in-nokey");
        assertThat(received.getHeader("X-Sealgate-Decryption", null)).isEqualTo("no-key");
        assertThat(received.getContentType()).contains("multipart/encrypted");
        assertThat(gateway.awaitAuditEvent("pgp-in-nokey").get("reason").toString()).contains("does not hold");
    }

    private void assertQuarantined(String id, String reason) throws Exception {
        Map<String, Object> event = gateway.awaitAuditEvent(id);
        assertThat(event).containsEntry("outcome", "held");
        assertThat(event.get("reason").toString()).contains(reason);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.quarantined() >= 1);
        assertThat(receiver.messagesFor(BOB)).noneMatch(m -> SmtpSink.messageId(m).contains(id));
    }
}
