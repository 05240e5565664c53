package org.sealgate.pgp;

import java.security.Provider;
import java.security.Security;

import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPImplementation;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.SessionKeyDataDecryptorFactory;

/**
 * Bouncy Castle's own OpenPGP implementation with the bulk symmetric cipher moved to the JDK: SEIPDv1 (AES in
 * OpenPGP's CFB with the MDC) runs on SunJCE's "AES/CFB/NoPadding", whose AES uses the CPU's AES-NI, instead of
 * BC's pure-Java AES engine, which dominated the cost of encrypting and decrypting a large mail. Everything else
 * stays on BC's lightweight classes: the public-key operations (X25519, RSA, ECDH session-key wrapping), the
 * signatures, and SEIPDv2, whose OCB mode SunJCE does not have. Where SunJCE is absent, plain BC.
 */
final class JdkAesOpenPGPImplementation extends BcOpenPGPImplementation {
    private final Provider bulkCipher;

    private JdkAesOpenPGPImplementation(Provider bulkCipher) {
        this.bulkCipher = bulkCipher;
    }

    /** With SunJCE when the JDK has it (it always should), else BC's own implementation unchanged. */
    static BcOpenPGPImplementation create() {
        Provider sunJce = Security.getProvider("SunJCE");
        return sunJce == null ? new BcOpenPGPImplementation() : new JdkAesOpenPGPImplementation(sunJce);
    }

    @Override
    public PGPDataEncryptorBuilder pgpDataEncryptorBuilder(int symmetricKeyAlgorithm) {
        return new JdkAesDataEncryptorBuilder(symmetricKeyAlgorithm, bulkCipher);
    }

    /**
     * BC's message processor recovers the session key with {@link #publicKeyDataDecryptorFactory} (left on BC) and
     * decrypts the data with the factory returned here.
     */
    @Override
    public SessionKeyDataDecryptorFactory sessionKeyDataDecryptorFactory(PGPSessionKey sessionKey) {
        return new JdkAesSessionKeyDecryptorFactory(sessionKey, bulkCipher);
    }

    /** Ed25519 signatures hashed by the JDK's SHA-2 ({@link JdkDigestVerifierBuilderProvider}), the rest on BC. */
    @Override
    public PGPContentVerifierBuilderProvider pgpContentVerifierBuilderProvider() {
        return new JdkDigestVerifierBuilderProvider(super.pgpContentVerifierBuilderProvider());
    }

    /** The ciphers SunJCE has in CFB mode; the rest (CAST5, Twofish, Camellia…) stays on BC. */
    static boolean isAes(int symmetricKeyAlgorithm) {
        return symmetricKeyAlgorithm == SymmetricKeyAlgorithmTags.AES_128
            || symmetricKeyAlgorithm == SymmetricKeyAlgorithmTags.AES_192
            || symmetricKeyAlgorithm == SymmetricKeyAlgorithmTags.AES_256;
    }
}
