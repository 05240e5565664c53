package org.sealgate.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.sealgate.pgp.PgpKeys;

/** Test-only packet surgery: messages no sane implementation produces any more, and armor helpers. */
public final class OpenPgpPackets {
    private OpenPgpPackets() {
    }

    /** A Symmetrically Encrypted Data packet (tag 9, no MDC): what EFAIL exploits. */
    public static String encryptWithoutMdc(byte[] plaintext, OpenPGPCertificate recipient) throws Exception {
        PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
            new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(false)
                .setSecureRandom(new SecureRandom()));
        generator.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(
            PgpKeys.encryptionKeys(recipient, new Date()).get(0).getPGPPublicKey()));
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        try (OutputStream encrypted = generator.open(binary, new byte[4096]);
             OutputStream literal = new PGPLiteralDataGenerator().open(encrypted, PGPLiteralData.BINARY, "", plaintext.length, new Date())) {
            literal.write(plaintext);
        }
        return armor(binary.toByteArray());
    }

    /**
     * The armored OpenPGP message with one bit flipped {@code fromEnd} bytes before the end of its binary form,
     * re-armored with a fresh checksum: only the cryptographic integrity check (MDC or AEAD tag) can notice.
     */
    public static String flipBit(String armored, int fromEnd) throws Exception {
        byte[] binary = dearmor(armored.getBytes(StandardCharsets.US_ASCII));
        binary[binary.length - fromEnd] ^= 0x01;
        return armor(binary);
    }

    /** SEIPDv1 with MDC around a literal of {@code plaintext}, uncompressed: well-formed, whatever the plaintext is. */
    public static String encryptWithMdc(byte[] plaintext, OpenPGPCertificate recipient) throws Exception {
        PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
            new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
                .setSecureRandom(new SecureRandom()));
        generator.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(
            PgpKeys.encryptionKeys(recipient, new Date()).get(0).getPGPPublicKey()));
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        try (OutputStream encrypted = generator.open(binary, new byte[4096]);
             OutputStream literal = new PGPLiteralDataGenerator().open(encrypted, PGPLiteralData.BINARY, "", plaintext.length, new Date())) {
            literal.write(plaintext);
        }
        return armor(binary.toByteArray());
    }

    /** SEIPDv1 with MDC around a ZLIB-compressed literal of {@code size} zero bytes: a few KB that expand hugely. */
    public static String compressionBomb(int size, OpenPGPCertificate recipient) throws Exception {
        PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
            new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
                .setSecureRandom(new SecureRandom()));
        generator.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(
            PgpKeys.encryptionKeys(recipient, new Date()).get(0).getPGPPublicKey()));
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        PGPCompressedDataGenerator compressor = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZLIB);
        try (OutputStream encrypted = generator.open(binary, new byte[4096]);
             OutputStream compressed = compressor.open(encrypted, new byte[4096]);
             OutputStream literal = new PGPLiteralDataGenerator().open(compressed, PGPLiteralData.BINARY, "", new Date(), new byte[4096])) {
            byte[] zeros = new byte[1 << 16];
            for (int written = 0; written < size; written += zeros.length) {
                literal.write(zeros);
            }
        }
        return armor(binary.toByteArray());
    }

    public static String armor(byte[] binary) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            armored.write(binary);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    public static byte[] dearmor(byte[] armored) throws Exception {
        try (var in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
            return TestMessages.readAll(in);
        }
    }

    /** Length of the first OpenPGP packet, header included (old or new format): for splicing packets in tests. */
    public static int firstPacketLength(byte[] packets) {
        int tag = packets[0] & 0xff;
        if ((tag & 0x40) != 0) {
            int first = packets[1] & 0xff;
            if (first < 192) {
                return 2 + first;
            }
            if (first < 224) {
                return 3 + ((first - 192) << 8) + (packets[2] & 0xff) + 192;
            }
            return 6 + ((packets[2] & 0xff) << 24 | (packets[3] & 0xff) << 16 | (packets[4] & 0xff) << 8 | (packets[5] & 0xff));
        }
        return switch (tag & 0x03) {
            case 0 -> 2 + (packets[1] & 0xff);
            case 1 -> 3 + ((packets[1] & 0xff) << 8 | (packets[2] & 0xff));
            default -> 5 + ((packets[1] & 0xff) << 24 | (packets[2] & 0xff) << 16 | (packets[3] & 0xff) << 8 | (packets[4] & 0xff));
        };
    }
}
