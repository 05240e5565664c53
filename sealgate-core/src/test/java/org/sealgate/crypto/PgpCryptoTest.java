package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.openpgp.api.KeyPassphraseProvider;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.testing.OpenPgpPackets;
import org.sealgate.testing.OpenPgpTools;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.Prerequisites;

/** The OpenPGP facade against GnuPG 2.2 and sqop (Sequoia 1.x), and v6/SEIPDv2 inside Bouncy Castle. */
class PgpCryptoTest {
    private static final String ALICE = TestMessages.FROM;
    private static final String BOB = TestMessages.TO;

    private final PgpCrypto crypto = new PgpCrypto();
    private OpenPgpTools tools;

    @BeforeEach
    void tools() {
        Prerequisites.require(OpenPgpTools.gpgAvailable() && OpenPgpTools.sqopAvailable(), "gpg and sqop");
        tools = new OpenPgpTools();
    }

    @AfterEach
    void close() {
        if (tools != null) {
            tools.close();
        }
    }

    static PgpManagedKey managed(OpenPGPKey key, String address) {
        return new PgpManagedKey(address, key, (KeyPassphraseProvider) component -> null);
    }

    static OpenPGPKey bcKey(int version, String address) {
        return PgpKeys.generate("Test <" + address + ">", version);
    }

    @Test
    void encryptedAndSignedMailShouldDecryptAndVerifyWithGpg() throws Exception {
        OpenPGPCertificate bob = PgpKeys.read(tools.gpgGenerateKey("Bob <" + BOB + ">"));
        OpenPGPKey alice = bcKey(4, ALICE);
        tools.write("alice.asc", PgpKeys.armored(alice.toCertificate()));
        OpenPgpTools.check(tools.gpg("--import", "alice.asc"));
        byte[] attachment = TestMessages.randomBytes(50_000, 7);
        MimeMessage original = TestMessages.withAttachment("Quarterly figures", attachment);
        original.setSubject("secret subject");

        MimeMessage encrypted = crypto.encrypt(original, List.of(bob), Optional.of(managed(alice, ALICE)), PgpEncryptionPolicy.DEFAULT);

        assertThat(encrypted.getContentType()).contains("multipart/encrypted").contains("application/pgp-encrypted");
        assertThat(encrypted.getSubject()).isEqualTo("...");
        assertThat(new String(TestMessages.bytes(encrypted), StandardCharsets.US_ASCII)).doesNotContain("secret subject");
        tools.write("mail.eml", TestMessages.bytes(encrypted));
        String armored = new String(PgpMime.encryptedPayload(encrypted), StandardCharsets.US_ASCII);
        tools.write("payload.asc", armored);
        OpenPgpTools.Result decrypted = tools.gpg("--status-fd", "2", "--decrypt", "payload.asc");
        assertThat(decrypted.ok()).as(decrypted.toString()).isTrue();
        assertThat(decrypted.stderr()).contains("GOODSIG").contains("DECRYPTION_OKAY").contains("GOODMDC");
        MimeMessage inner = TestMessages.parse(decrypted.stdout());
        assertThat(inner.getSubject()).isEqualTo("secret subject");
        assertThat(inner.getContentType()).contains("hp=\"cipher\"");
        assertThat(TestMessages.attachment(inner)).isEqualTo(attachment);
    }

    @Test
    void encryptedMailShouldDecryptWithSqop() throws Exception {
        tools.write("bob.key", tools.sqopGenerateKey("Bob <" + BOB + ">"));
        OpenPGPCertificate bob = PgpKeys.read(tools.sqopExtractCert("bob.key"));
        OpenPGPKey alice = bcKey(4, ALICE);
        tools.write("alice.cert", PgpKeys.armored(alice.toCertificate()));
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("hello sqop"), List.of(bob),
            Optional.of(managed(alice, ALICE)), PgpEncryptionPolicy.DEFAULT);
        String armored = new String(PgpMime.encryptedPayload(encrypted), StandardCharsets.US_ASCII);
        tools.write("payload.asc", armored);

        OpenPgpTools.Result result = tools.shell("sqop decrypt --verify-out=verifications.txt --verify-with=alice.cert bob.key < payload.asc");

        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.out()).contains("hello sqop");
        assertThat(new String(tools.read("verifications.txt"), StandardCharsets.UTF_8)).contains(PgpKeys.fingerprint(alice));
    }

    @Test
    void mailEncryptedAndSignedByGpgShouldDecryptWithAttachmentIntactAndTrustedSignature() throws Exception {
        OpenPGPKey alice = bcKey(4, ALICE);
        tools.write("alice.asc", PgpKeys.armored(alice.toCertificate()));
        OpenPgpTools.check(tools.gpg("--import", "alice.asc"));
        OpenPGPCertificate bob = PgpKeys.read(tools.gpgGenerateKey("Bob <" + BOB + ">"));
        byte[] attachment = TestMessages.randomBytes(30_000, 3);
        MimeMessage inner = TestMessages.withAttachment("from gpg", attachment);
        inner.setFrom(BOB);
        inner.saveChanges();
        tools.write("inner.eml", TestMessages.bytes(inner));
        OpenPgpTools.check(tools.gpg("--armor", "--sign", "--local-user", BOB, "--encrypt", "--recipient", ALICE,
            "--output", "inner.asc", "inner.eml"));
        MimeMessage mail = pgpMime(BOB, ALICE, "from gpg", new String(tools.read("inner.asc"), StandardCharsets.US_ASCII));

        PgpDecryptionResult result = crypto.decrypt(mail, List.of(managed(alice, ALICE)),
            PgpVerificationPolicy.strict(List.of(new PgpPublicKey(bob, PgpPublicKey.Source.IMPORTED))));

        assertThat(result.mechanism()).startsWith("SEIPDv1");
        assertThat(TestMessages.attachment(result.message())).isEqualTo(attachment);
        assertThat(result.signature().status()).as(result.signature().detail()).isEqualTo(SignatureStatus.VALID);
        assertThat(result.signature().trusted()).isTrue();
    }

    @Test
    void inlinePgpFromSqopShouldBeDecrypted() throws Exception {
        OpenPGPKey alice = bcKey(4, ALICE);
        tools.write("alice.cert", PgpKeys.armored(alice.toCertificate()));
        tools.write("text.txt", "inline secret\r\n");
        String armored = OpenPgpTools.check(tools.shell("sqop encrypt alice.cert < text.txt")).out();
        MimeMessage mail = TestMessages.text("Hi,\n\n" + armored + "\n-- \nBob");

        PgpDecryptionResult result = crypto.decrypt(mail, List.of(managed(alice, ALICE)), null);

        assertThat(result.inline()).isTrue();
        assertThat(TestMessages.firstText(result.message())).contains("inline secret").startsWith("Hi,")
            .doesNotContain("BEGIN PGP MESSAGE");
        assertThat(TestMessages.firstText(mail)).as("the input is left as it was").contains("BEGIN PGP MESSAGE");
    }

    @Test
    void signatureNamingOtherIntendedRecipientsShouldBeInvalid() throws Exception {
        OpenPGPKey alice = bcKey(4, ALICE);
        OpenPGPKey bob = bcKey(4, BOB);
        OpenPGPKey carol = bcKey(4, "carol@partner.test");
        // Alice signed for Carol only; someone re-encrypted the signed message to Bob (surreptitious forwarding).
        org.bouncycastle.openpgp.api.OpenPGPMessageGenerator generator = PgpKeys.api().signAndOrEncryptMessage()
            .setArmored(true).addEncryptionCertificate(bob.toCertificate());
        generator.addSigningKey(alice, (org.bouncycastle.openpgp.api.KeyPassphraseProvider) k -> null,
            new org.bouncycastle.openpgp.api.SignatureParameters.Callback() {
                @Override
                public org.bouncycastle.openpgp.api.SignatureParameters apply(org.bouncycastle.openpgp.api.SignatureParameters p) {
                    return p.setHashedSubpacketsFunction(sp -> {
                        sp.addIntendedRecipientFingerprint(false, carol.getPrimaryKey().getPGPPublicKey());
                        return sp;
                    });
                }
            });
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.io.OutputStream encrypting = generator.open(out)) {
            encrypting.write("From: alice@sealgate.test\r\nContent-Type: text/plain\r\n\r\nfor Carol\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        MimeMessage mail = pgpMime(ALICE, BOB, "forwarded", out.toString(StandardCharsets.US_ASCII));

        PgpDecryptionResult result = crypto.decrypt(mail, List.of(managed(bob, BOB)),
            PgpVerificationPolicy.strict(List.of(new PgpPublicKey(alice.toCertificate(), PgpPublicKey.Source.IMPORTED))));

        assertThat(result.signature().status()).isEqualTo(SignatureStatus.BAD_SIGNATURE);
        assertThat(result.signature().detail()).contains("intended recipients");
    }

    @Test
    void v6KeysShouldRoundTripWithSeipdV2OcbAndGcm() throws Exception {
        OpenPGPKey alice = bcKey(6, ALICE);
        OpenPGPKey bob = bcKey(6, BOB);
        for (PgpEncryptionPolicy.Aead aead : PgpEncryptionPolicy.Aead.values()) {
            PgpEncryptionPolicy policy = new PgpEncryptionPolicy(true, aead, HeaderProtection.DEFAULT);
            MimeMessage original = TestMessages.withAttachment("v6", TestMessages.randomBytes(10_000, 5));
            original.setSubject("v6 subject");
            MimeMessage encrypted = crypto.encrypt(original, List.of(bob.toCertificate()), Optional.of(managed(alice, ALICE)), policy);

            PgpDecryptionResult result = crypto.decrypt(encrypted, List.of(managed(bob, BOB)),
                PgpVerificationPolicy.strict(List.of(new PgpPublicKey(alice.toCertificate(), PgpPublicKey.Source.IMPORTED))));

            assertThat(result.mechanism()).isEqualTo("SEIPDv2 AES-256 " + aead);
            assertThat(result.message().getSubject()).isEqualTo("v6 subject");
            assertThat(TestMessages.attachment(result.message())).isEqualTo(TestMessages.randomBytes(10_000, 5));
            assertThat(result.signature().status()).as(result.signature().detail()).isEqualTo(SignatureStatus.VALID);
        }
    }

    @Test
    void mixedV4AndV6RecipientsShouldGetSeipdV1() throws Exception {
        OpenPGPKey v6 = bcKey(6, BOB);
        OpenPGPCertificate gpgKey = PgpKeys.read(tools.gpgGenerateKey("Carol <carol@partner.test>"));
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("mixed"), List.of(v6.toCertificate(), gpgKey),
            Optional.empty(), PgpEncryptionPolicy.DEFAULT);

        PgpDecryptionResult result = crypto.decrypt(encrypted, List.of(managed(v6, BOB)), null);

        assertThat(result.mechanism()).isEqualTo("SEIPDv1 AES-256 MDC");
        assertThat(result.signature().status()).isEqualTo(SignatureStatus.NOT_SIGNED);
    }

    @Test
    void tamperedCiphertextShouldNeverReleasePlaintext() throws Exception {
        for (int version : new int[] {4, 6}) {
            OpenPGPKey bob = bcKey(version, BOB);
            MimeMessage encrypted = crypto.encrypt(TestMessages.text("integrity " + "x".repeat(3000)), List.of(bob.toCertificate()),
                Optional.empty(), PgpEncryptionPolicy.DEFAULT);
            MimeMessage tampered = flipCiphertextByte(encrypted);

            assertThatThrownBy(() -> crypto.decrypt(tampered, List.of(managed(bob, BOB)), null))
                .isInstanceOf(CryptoException.class).isNotInstanceOf(NoMatchingKeyException.class);
        }
    }

    @Test
    void messageWithoutIntegrityProtectionShouldBeRefused() throws Exception {
        OpenPGPKey bob = bcKey(4, BOB);
        String armored = OpenPgpPackets.encryptWithoutMdc("no mdc here".getBytes(StandardCharsets.UTF_8), bob.toCertificate());
        MimeMessage mail = pgpMime(ALICE, BOB, "legacy", armored);

        assertThatThrownBy(() -> crypto.decrypt(mail, List.of(managed(bob, BOB)), null))
            .isInstanceOf(CryptoException.class).hasMessageContaining("integrity");
    }

    @Test
    void compressionBombShouldBeRefusedBeforeFillingMemory() throws Exception {
        OpenPGPKey bob = bcKey(4, BOB);
        String bomb = OpenPgpPackets.compressionBomb(64 << 20, bob.toCertificate());
        assertThat(bomb.length()).isLessThan(1 << 20);

        assertThatThrownBy(() -> crypto.decrypt(pgpMime(ALICE, BOB, "bomb", bomb), List.of(managed(bob, BOB)), null))
            .isInstanceOf(CryptoException.class).hasMessageContaining("compression bomb");
    }

    @Test
    void messageForAnotherKeyShouldReportNoMatchingKey() throws Exception {
        OpenPGPKey bob = bcKey(4, BOB);
        OpenPGPKey other = bcKey(4, BOB);
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("not yours"), List.of(bob.toCertificate()), Optional.empty(), null);

        assertThatThrownBy(() -> crypto.decrypt(encrypted, List.of(managed(other, BOB)), null))
            .isInstanceOf(NoMatchingKeyException.class);
    }

    @Test
    void corruptPacketsShouldBeACryptoException() throws Exception {
        OpenPGPKey bob = bcKey(4, BOB);
        MimeMessage mail = pgpMime(ALICE, BOB, "garbage", "-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA0garbagegarbage\r\n=abcd\r\n-----END PGP MESSAGE-----\r\n");

        assertThatThrownBy(() -> crypto.decrypt(mail, List.of(managed(bob, BOB)), null)).isInstanceOf(CryptoException.class);
    }

    @Test
    void revokedKeyShouldNotBeEncryptedTo() throws Exception {
        OpenPGPKey bob = bcKey(4, BOB);
        OpenPGPKey revoked = PgpKeys.api().editKey(bob).revokeKey().done();

        assertThat(crypto.whyNotUsableForEncryption(revoked.toCertificate(), Instant.now())).isEqualTo("revoked");
        assertThatThrownBy(() -> crypto.encrypt(TestMessages.text("x"), List.of(revoked.toCertificate()), Optional.empty(), null))
            .isInstanceOf(CryptoException.class).hasMessageContaining("revoked");
    }

    @Test
    void expiredGpgKeyShouldNotBeEncryptedTo() {
        OpenPgpTools.check(tools.gpg("--quick-gen-key", "Dave <dave@partner.test>", "future-default", "default", "1d"));
        OpenPGPCertificate dave = PgpKeys.read(tools.gpgExportPublic("dave@partner.test"));

        assertThat(crypto.whyNotUsableForEncryption(dave, Instant.now())).isEmpty();
        assertThat(crypto.whyNotUsableForEncryption(dave, Instant.now().plus(Duration.ofDays(2)))).startsWith("expired");
    }

    @Test
    void pgpMimeSignedByGpgShouldVerifyOverCanonicalForm() throws Exception {
        OpenPGPCertificate bob = PgpKeys.read(tools.gpgGenerateKey("Bob <" + BOB + ">"));
        String signedPart = "Content-Type: text/plain; charset=us-ascii\r\n\r\nsigned by gpg\r\n";
        tools.write("part.txt", signedPart);
        OpenPgpTools.check(tools.gpg("--armor", "--detach-sign", "--local-user", BOB, "--output", "part.sig", "part.txt"));
        MimeMessage mail = pgpMimeSigned(BOB, ALICE, signedPart, new String(tools.read("part.sig"), StandardCharsets.US_ASCII));

        PgpVerificationResult trusted = crypto.verify(mail, PgpVerificationPolicy.strict(List.of(new PgpPublicKey(bob, PgpPublicKey.Source.IMPORTED))));
        PgpVerificationResult harvested = crypto.verify(mail, PgpVerificationPolicy.strict(List.of(new PgpPublicKey(bob, PgpPublicKey.Source.HARVESTED))));
        PgpVerificationResult unknown = crypto.verify(mail, PgpVerificationPolicy.strict(List.of()));
        MimeMessage forged = pgpMimeSigned("mallory@partner.test", ALICE, signedPart, new String(tools.read("part.sig"), StandardCharsets.US_ASCII));
        MimeMessage altered = pgpMimeSigned(BOB, ALICE, signedPart.replace("gpg", "GPG"), new String(tools.read("part.sig"), StandardCharsets.US_ASCII));

        assertThat(trusted.status()).as(trusted.detail()).isEqualTo(SignatureStatus.VALID);
        assertThat(trusted.trusted()).isTrue();
        assertThat(harvested.status()).isEqualTo(SignatureStatus.VALID);
        assertThat(harvested.trusted()).isFalse();
        assertThat(unknown.status()).isEqualTo(SignatureStatus.NO_SIGNER);
        assertThat(crypto.verify(forged, PgpVerificationPolicy.strict(List.of(new PgpPublicKey(bob, PgpPublicKey.Source.IMPORTED)))).status())
            .isEqualTo(SignatureStatus.SIGNER_MISMATCH);
        assertThat(crypto.verify(altered, PgpVerificationPolicy.strict(List.of(new PgpPublicKey(bob, PgpPublicKey.Source.IMPORTED)))).status())
            .isEqualTo(SignatureStatus.BAD_SIGNATURE);
    }

    static MimeMessage pgpMime(String from, String to, String subject, String armored) {
        return TestMessages.parse("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b1\"\r\n\r\n"
            + "--b1\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
            + "--b1\r\nContent-Type: application/octet-stream\r\n\r\n" + armored.replaceAll("\r?\n", "\r\n") + "\r\n--b1--\r\n");
    }

    static MimeMessage pgpMimeSigned(String from, String to, String signedPart, String signature) {
        return TestMessages.parse("From: " + from + "\r\nTo: " + to + "\r\nSubject: signed\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"s1\"\r\n\r\n"
            + "--s1\r\n" + signedPart + "\r\n--s1\r\nContent-Type: application/pgp-signature\r\n\r\n"
            + signature.replaceAll("\r?\n", "\r\n") + "\r\n--s1--\r\n");
    }

    /** Flips one bit in the middle of the encrypted payload, re-armored so the armor checksum does not give it away. */
    static MimeMessage flipCiphertextByte(MimeMessage encrypted) throws Exception {
        byte[] payload = PgpMime.encryptedPayload(encrypted);
        byte[] binary = OpenPgpPackets.dearmor(payload);
        binary[binary.length - 40] ^= 0x01;
        return pgpMime(ALICE, BOB, "tampered", OpenPgpPackets.armor(binary));
    }
}
