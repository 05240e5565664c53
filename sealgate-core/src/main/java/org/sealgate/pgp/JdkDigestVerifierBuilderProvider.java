package org.sealgate.pgp;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.operator.PGPContentVerifier;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilder;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyConverter;

/**
 * Ed25519 signatures (v4 EdDSA-legacy as GnuPG makes them, v6 Ed25519) checked with the message hashed by the JDK's
 * SHA-2 (intrinsics on the CPU's SHA and AVX2 instructions) instead of Bouncy Castle's pure-Java digest: in a
 * profile of inbound 1 MB mail signed and encrypted by GnuPG, BC's SHA-512 over the content was a quarter of the
 * decryption mailet's time. The signature check itself stays BC's ({@link Ed25519Signer} over the digest, exactly
 * what BC's own verifier does for OpenPGP EdDSA). Every other key or hash algorithm goes to BC's verifier unchanged.
 */
final class JdkDigestVerifierBuilderProvider implements PGPContentVerifierBuilderProvider {
    private static final BcPGPKeyConverter KEYS = new BcPGPKeyConverter();
    private final PGPContentVerifierBuilderProvider bc;

    JdkDigestVerifierBuilderProvider(PGPContentVerifierBuilderProvider bc) {
        this.bc = bc;
    }

    @Override
    public PGPContentVerifierBuilder get(int keyAlgorithm, int hashAlgorithm) throws PGPException {
        PGPContentVerifierBuilder fallback = bc.get(keyAlgorithm, hashAlgorithm);
        String digest = jdkDigest(hashAlgorithm);
        boolean ed25519Family = keyAlgorithm == PublicKeyAlgorithmTags.EDDSA_LEGACY || keyAlgorithm == PublicKeyAlgorithmTags.Ed25519;
        if (digest == null || !ed25519Family) {
            return fallback;
        }
        return publicKey -> {
            AsymmetricKeyParameter key = KEYS.getPublicKey(publicKey);
            if (!(key instanceof Ed25519PublicKeyParameters)) {
                // EdDSA-legacy on Ed448, or anything unexpected: BC decides as before.
                return fallback.build(publicKey);
            }
            return new Verifier(keyAlgorithm, hashAlgorithm, publicKey, key, newDigest(digest));
        };
    }

    /** The JDK's name of the SHA-2 hashes; null for any other (SHA-1, SHA-3, RIPEMD...: BC's digest as before). */
    static String jdkDigest(int hashAlgorithm) {
        return switch (hashAlgorithm) {
            case HashAlgorithmTags.SHA256 -> "SHA-256";
            case HashAlgorithmTags.SHA384 -> "SHA-384";
            case HashAlgorithmTags.SHA512 -> "SHA-512";
            case HashAlgorithmTags.SHA224 -> "SHA-224";
            default -> null;
        };
    }

    private static MessageDigest newDigest(String name) throws PGPException {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new PGPException("the JDK has no " + name, e);
        }
    }

    /** BC's EdDsaSigner with the digest on the JDK: hash everything written, then Ed25519 over the hash. */
    private static final class Verifier implements PGPContentVerifier {
        private final int keyAlgorithm;
        private final int hashAlgorithm;
        private final long keyId;
        private final Ed25519Signer signer = new Ed25519Signer();
        private final MessageDigest digest;
        private final OutputStream stream;

        Verifier(int keyAlgorithm, int hashAlgorithm, PGPPublicKey publicKey, AsymmetricKeyParameter key, MessageDigest digest) {
            this.keyAlgorithm = keyAlgorithm;
            this.hashAlgorithm = hashAlgorithm;
            this.keyId = publicKey.getKeyID();
            this.digest = digest;
            signer.init(false, key);
            this.stream = new OutputStream() {
                @Override
                public void write(int b) {
                    digest.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    digest.update(b, off, len);
                }
            };
        }

        @Override
        public OutputStream getOutputStream() {
            return stream;
        }

        @Override
        public int getHashAlgorithm() {
            return hashAlgorithm;
        }

        @Override
        public int getKeyAlgorithm() {
            return keyAlgorithm;
        }

        @Override
        public long getKeyID() {
            return keyId;
        }

        @Override
        public boolean verify(byte[] expected) {
            byte[] hash = digest.digest();
            signer.update(hash, 0, hash.length);
            return signer.verifySignature(expected);
        }
    }
}
