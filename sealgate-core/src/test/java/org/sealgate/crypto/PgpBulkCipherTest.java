package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.testing.OpenPgpPackets;
import org.sealgate.testing.OpenPgpTools;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.TestMessages;

/**
 * SEIPDv1 (AES-256, MDC) now runs on the JDK's AES: large mails, sizes off the cipher's block and BC's buffer
 * boundaries, read by GnuPG 2.2 and by raw Bouncy Castle (its pure-Java BcPGP operators) both ways, and a flipped
 * byte anywhere in the ciphertext still fails the MDC with no plaintext returned.
 */
class PgpBulkCipherTest {
    private static final String ALICE = TestMessages.FROM;
    private static final String BOB = TestMessages.TO;
    private static final int LARGE = (1 << 20) + 13;

    private final PgpCrypto crypto = new PgpCrypto();
    private OpenPgpTools tools;

    @AfterEach
    void close() {
        if (tools != null) {
            tools.close();
        }
    }

    @Test
    void largeMailShouldBeReadByGpgAndLargeGpgMailByUs() throws Exception {
        Prerequisites.require(OpenPgpTools.gpgAvailable(), "gpg (Debian package gnupg)");
        tools = new OpenPgpTools();
        OpenPGPCertificate bobByGpg = PgpKeys.read(tools.gpgGenerateKey("Bob <" + BOB + ">"));
        OpenPGPKey alice = PgpCryptoTest.bcKey(4, ALICE);
        tools.write("alice.asc", PgpKeys.armored(alice.toCertificate()));
        OpenPgpTools.check(tools.gpg("--import", "alice.asc"));
        byte[] attachment = TestMessages.randomBytes(LARGE, 11);

        MimeMessage ours = crypto.encrypt(TestMessages.withAttachment("large", attachment), List.of(bobByGpg), Optional.empty(),
            PgpEncryptionPolicy.DEFAULT);
        tools.write("ours.asc", new String(PgpMime.encryptedPayload(ours), StandardCharsets.US_ASCII));
        OpenPgpTools.Result byGpg = tools.gpg("--status-fd", "2", "--decrypt", "ours.asc");
        assertThat(byGpg.ok()).as(byGpg.toString()).isTrue();
        assertThat(byGpg.stderr()).contains("DECRYPTION_OKAY").contains("GOODMDC");
        assertThat(TestMessages.attachment(TestMessages.parse(byGpg.stdout()))).isEqualTo(attachment);

        tools.write("inner.eml", TestMessages.bytes(TestMessages.withAttachment("from gpg", attachment)));
        OpenPgpTools.check(tools.gpg("--armor", "--encrypt", "--recipient", ALICE, "--compress-algo", "none",
            "--output", "inner.asc", "inner.eml"));
        PgpDecryptionResult fromGpg = crypto.decrypt(PgpCryptoTest.pgpMime(BOB, ALICE, "from gpg",
            new String(tools.read("inner.asc"), StandardCharsets.US_ASCII)), List.of(PgpCryptoTest.managed(alice, ALICE)), null);
        assertThat(fromGpg.mechanism()).isEqualTo("SEIPDv1 AES-256 MDC");
        assertThat(TestMessages.attachment(fromGpg.message())).isEqualTo(attachment);
    }

    @Test
    void rawBouncyCastleShouldReadOurOutputAndWeItsAtEverySize() throws Exception {
        OpenPGPKey bob = PgpCryptoTest.bcKey(4, BOB);
        for (int size : new int[] {0, 1, 15, 16, 17, 8191, 65_539, LARGE}) {
            byte[] attachment = TestMessages.randomBytes(size, size);
            MimeMessage encrypted = crypto.encrypt(TestMessages.withAttachment("size " + size, attachment), List.of(bob.toCertificate()),
                Optional.empty(), PgpEncryptionPolicy.DEFAULT);

            byte[] plaintext = rawDecrypt(PgpMime.encryptedPayload(encrypted), bob);
            assertThat(TestMessages.attachment(TestMessages.parse(plaintext))).as("size %d", size).isEqualTo(attachment);

            byte[] entity = TestMessages.bytes(TestMessages.withAttachment("raw " + size, attachment));
            String raw = OpenPgpPackets.encryptWithMdc(entity, bob.toCertificate());
            PgpDecryptionResult result = crypto.decrypt(PgpCryptoTest.pgpMime(ALICE, BOB, "raw", raw),
                List.of(PgpCryptoTest.managed(bob, BOB)), null);
            assertThat(result.mechanism()).isEqualTo("SEIPDv1 AES-256 MDC");
            assertThat(TestMessages.attachment(result.message())).as("size %d", size).isEqualTo(attachment);
        }
    }

    @Test
    void flippedByteAnywhereInALargeMailShouldFailTheMdcAndReleaseNothing() throws Exception {
        OpenPGPKey bob = PgpCryptoTest.bcKey(4, BOB);
        MimeMessage encrypted = crypto.encrypt(TestMessages.withAttachment("integrity", TestMessages.randomBytes(LARGE, 5)),
            List.of(bob.toCertificate()), Optional.empty(), PgpEncryptionPolicy.DEFAULT);
        byte[] binary = OpenPgpPackets.dearmor(PgpMime.encryptedPayload(encrypted));

        // The middle of the encrypted data, near its start (past the session-key packet), the MDC's own last byte.
        for (int position : new int[] {binary.length / 2, 200, binary.length - 1}) {
            byte[] tampered = binary.clone();
            tampered[position] ^= 0x01;
            MimeMessage mail = PgpCryptoTest.pgpMime(ALICE, BOB, "tampered", OpenPgpPackets.armor(tampered));

            assertThatThrownBy(() -> crypto.decrypt(mail, List.of(PgpCryptoTest.managed(bob, BOB)), null))
                .as("flipped at %d of %d", position, binary.length)
                .isInstanceOf(CryptoException.class).isNotInstanceOf(NoMatchingKeyException.class);
        }
    }

    /** BC's own pure-Java operators, as its examples use them; the MDC is checked before the plaintext counts. */
    private static byte[] rawDecrypt(byte[] armored, OpenPGPKey key) throws Exception {
        OpenPGPCertificate.OpenPGPComponentKey subkey = key.toCertificate().getEncryptionKeys(new Date()).get(0);
        PGPPrivateKey privateKey = key.getSecretKey(subkey).unlock().getKeyPair().getPrivateKey();
        byte[] binary = OpenPgpPackets.dearmor(armored);
        PGPEncryptedDataList list = (PGPEncryptedDataList) new BcPGPObjectFactory(binary).nextObject();
        PGPPublicKeyEncryptedData data = (PGPPublicKeyEncryptedData) list.get(0);
        byte[] plaintext;
        try (InputStream clear = data.getDataStream(new BcPublicKeyDataDecryptorFactory(privateKey))) {
            plaintext = ((PGPLiteralData) new BcPGPObjectFactory(clear).nextObject()).getDataStream().readAllBytes();
        }
        assertThat(data.isIntegrityProtected()).isTrue();
        assertThat(data.verify()).as("MDC").isTrue();
        return plaintext;
    }
}
