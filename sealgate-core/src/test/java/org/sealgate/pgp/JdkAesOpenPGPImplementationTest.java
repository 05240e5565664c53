package org.sealgate.pgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.security.Security;

import org.bouncycastle.bcpg.AEADAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.SessionKeyDataDecryptorFactory;
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
}
