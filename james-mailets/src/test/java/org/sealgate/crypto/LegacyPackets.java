package org.sealgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.sealgate.pgp.PgpKeys;

/** Test-only packet surgery: messages no sane implementation produces any more, and armor helpers. */
final class LegacyPackets {
    private LegacyPackets() {
    }

    /** A Symmetrically Encrypted Data packet (tag 9, no MDC): what EFAIL exploits. */
    static String encryptWithoutMdc(byte[] plaintext, OpenPGPCertificate recipient) throws Exception {
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

    static String armor(byte[] binary) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            armored.write(binary);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    static byte[] dearmor(byte[] armored) throws Exception {
        try (var in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
            return MimeEntities.readAll(in);
        }
    }
}
