package org.sealgate.pgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.security.Security;

import org.bouncycastle.bcpg.AEADAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.SessionKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.junit.jupiter.api.Test;

/**
 * Which cipher implementation each OpenPGP packet type gets: SEIPDv1 with AES on the JDK's SunJCE, everything
 * else (AEAD, other ciphers, the unprotected legacy packet) on Bouncy Castle's. Interop and integrity are proven
 * through the facade in PgpBulkCipherTest and PgpCryptoTest.
 */
class JdkAesOpenPGPImplementationTest {
    private static final String JDK_OPERATORS = "org.bouncycastle.openpgp.operator.jcajce.";
    private static final String BC_OPERATORS = "org.bouncycastle.openpgp.operator.bc.";

    private static byte[] key(int length) {
        byte[] key = new byte[length];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void sunJceShouldBeTheBulkCipherProviderOfTheSharedApi() {
        assertThat(Security.getProvider("SunJCE")).isNotNull();
        assertThat(PgpKeys.api().getImplementation()).isInstanceOf(JdkAesOpenPGPImplementation.class);
    }

    @Test
    void seipdV1WithAesShouldBeEncryptedOnTheJdksCipher() throws Exception {
        for (int[] aes : new int[][] {{SymmetricKeyAlgorithmTags.AES_128, 16}, {SymmetricKeyAlgorithmTags.AES_256, 32}}) {
            PGPDataEncryptorBuilder builder = PgpKeys.api().getImplementation().pgpDataEncryptorBuilder(aes[0])
                .setWithIntegrityPacket(true);

            assertThat(builder.build(key(aes[1])).getClass().getName()).startsWith(JDK_OPERATORS);
        }
    }

    @Test
    void aeadAndOtherCiphersShouldStayOnBouncyCastle() throws Exception {
        PGPDataEncryptorBuilder ocb = PgpKeys.api().getImplementation().pgpDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
            .setWithIntegrityPacket(true).setWithAEAD(AEADAlgorithmTags.OCB, 10).setUseV6AEAD();
        PGPDataEncryptorBuilder camellia = PgpKeys.api().getImplementation().pgpDataEncryptorBuilder(SymmetricKeyAlgorithmTags.CAMELLIA_256)
            .setWithIntegrityPacket(true);

        assertThat(ocb.build(key(32)).getClass().getName()).startsWith(BC_OPERATORS);
        assertThat(camellia.build(key(32)).getClass().getName()).startsWith(BC_OPERATORS);
    }

    @Test
    void seipdV1DecryptionShouldRunOnTheJdksCipherAndTheLegacyPacketOnBouncyCastle() throws Exception {
        byte[] key = key(32);
        SessionKeyDataDecryptorFactory factory = PgpKeys.api().getImplementation()
            .sessionKeyDataDecryptorFactory(new PGPSessionKey(SymmetricKeyAlgorithmTags.AES_256, key));

        assertThat(factory.createDataDecryptor(true, SymmetricKeyAlgorithmTags.AES_256, key).getClass().getName())
            .startsWith(JDK_OPERATORS);
        assertThat(factory.createDataDecryptor(false, SymmetricKeyAlgorithmTags.AES_256, key).getClass().getName())
            .startsWith(BC_OPERATORS);
        assertThat(factory.createDataDecryptor(true, SymmetricKeyAlgorithmTags.CAMELLIA_256, key).getClass().getName())
            .startsWith(BC_OPERATORS);
    }

    @Test
    void ed25519SignaturesShouldVerifyWithTheJdksDigestExactlyWhenBouncyCastlesVerifierDoes() throws Exception {
        byte[] data = key(100_000);
        for (int version : new int[] {4, 6}) {
            OpenPGPKey key = PgpKeys.generate("Alice <alice@example.test>", version);
            PGPPublicKey signing = key.getPrimaryKey().getPGPPublicKey();
            PGPPrivateKey secret = key.getPrimarySecretKey().unlock().getKeyPair().getPrivateKey();
            for (int hash : new int[] {HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA3_512}) {
                PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(signing.getAlgorithm(), hash), signing);
                generator.init(PGPSignature.BINARY_DOCUMENT, secret);
                generator.update(data);
                PGPSignature signature = generator.generate();
                byte[] tampered = data.clone();
                tampered[50_000] ^= 1;

                for (byte[] signed : new byte[][] {data, tampered}) {
                    boolean expected = signed == data;
                    assertThat(verifies(signature, new BcPGPContentVerifierBuilderProvider(), signing, signed))
                        .as("BC, v%d, hash %d", version, hash).isEqualTo(expected);
                    assertThat(verifies(signature, PgpKeys.api().getImplementation().pgpContentVerifierBuilderProvider(), signing, signed))
                        .as("ours, v%d, hash %d", version, hash).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void sha2Ed25519VerifiersShouldHashOnTheJdkAndTheRestStayOnBouncyCastle() throws Exception {
        PGPContentVerifierBuilderProvider ours = PgpKeys.api().getImplementation().pgpContentVerifierBuilderProvider();
        OpenPGPKey key = PgpKeys.generate("Alice <alice@example.test>", 4);
        PGPPublicKey signing = key.getPrimaryKey().getPGPPublicKey();

        assertThat(ours.get(signing.getAlgorithm(), HashAlgorithmTags.SHA512).build(signing).getClass().getName())
            .startsWith(JdkDigestVerifierBuilderProvider.class.getName());
        assertThat(ours.get(signing.getAlgorithm(), HashAlgorithmTags.SHA3_512).build(signing).getClass().getName())
            .startsWith(BC_OPERATORS);
    }

    /** A fresh check each time: init makes a new verifier. */
    private static boolean verifies(PGPSignature signature, PGPContentVerifierBuilderProvider provider, PGPPublicKey key,
                                    byte[] data) throws Exception {
        signature.init(provider, key);
        signature.update(data);
        return signature.verify();
    }
}
