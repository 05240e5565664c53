package org.sealgate.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.Set;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;

/**
 * Content decryption on the JDK's AES (SunJCE: AES-NI and CLMUL) instead of Bouncy Castle's pure-Java engine, whose
 * AuthEnvelopedData recipient cannot take SunJCE's GCM parameters. AES-GCM (AuthEnvelopedData, RFC 5083/5084: the
 * DER-encoded authAttrs are the additional data, the tag is the {@code mac} field) and AES-CBC (EnvelopedData,
 * PKCS#7 padding). CBC ciphertext reaches the cipher in {@link ChunkedContent#CHUNK} pieces, for the JIT reason
 * given there; GCM's in one call ({@link #gcmDecrypt}). SunJCE's GCM decryption keeps all plaintext until the tag
 * has been checked in {@code doFinal}: a wrong tag throws, and nothing decrypted leaves this class.
 */
final class JdkContentDecryptor {
    private static final Set<ASN1ObjectIdentifier> GCM = Set.of(NISTObjectIdentifiers.id_aes128_GCM,
        NISTObjectIdentifiers.id_aes192_GCM, NISTObjectIdentifiers.id_aes256_GCM);
    private static final Set<ASN1ObjectIdentifier> CBC = Set.of(NISTObjectIdentifiers.id_aes128_CBC,
        NISTObjectIdentifiers.id_aes192_CBC, NISTObjectIdentifiers.id_aes256_CBC);
    /** The shortest GCM tag accepted (RFC 5084 allows 12 to 16 bytes; shorter tags weaken the integrity check). */
    private static final int MIN_TAG_BYTES = 12;

    private JdkContentDecryptor() {
    }

    /** True when this class decrypts the envelope's content algorithm. */
    static boolean supports(CmsEnvelope envelope) {
        ASN1ObjectIdentifier oid = envelope.contentAlgorithm().getAlgorithm();
        return envelope.authenticated() ? GCM.contains(oid) : CBC.contains(oid);
    }

    /**
     * The plaintext, after the GCM tag verified; throws when the key, parameters, padding or tag are wrong.
     *
     * @param key the unwrapped content-encryption key
     */
    static byte[] decrypt(CmsEnvelope envelope, Key key) throws CryptoException {
        if (!supports(envelope)) {
            throw new CryptoException("content algorithm " + envelope.contentAlgorithm().getAlgorithm().getId()
                + " is not decrypted on the JDK's AES");
        }
        try {
            if (envelope.authenticated()) {
                return gcmDecrypt(gcm(envelope, key), envelope.encryptedContent(), envelope.mac());
            }
            Cipher cipher = cbc(envelope, key);
            byte[] in = envelope.encryptedContent();
            byte[] out = new byte[cipher.getOutputSize(in.length) + 16];
            int written = 0;
            for (int offset = 0; offset < in.length; offset += ChunkedContent.CHUNK) {
                written += cipher.update(in, offset, Math.min(ChunkedContent.CHUNK, in.length - offset), out, written);
            }
            written += cipher.doFinal(out, written);
            return written == out.length ? out : java.util.Arrays.copyOf(out, written);
        } catch (java.io.IOException e) {
            throw new CryptoException("the authenticated attributes cannot be encoded: " + e.getMessage(), e);
        } catch (AEADBadTagException e) {
            throw new CryptoException("integrity check failed: the AES-GCM tag does not match (tampered or wrong key)", e);
        } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            throw new CryptoException("content decryption failed (" + (envelope.authenticated() ? "AES-GCM" : "AES-CBC key or padding")
                + "): " + e.getMessage(), e);
        }
    }

    /**
     * Ciphertext and tag in one {@code doFinal}: SunJCE's GCM decryption holds all input until the tag is checked,
     * and fed in pieces it grew that buffer by doubling and copied it once more at the end (5 % of a 1 MB inbound
     * mail's time in the spooler). Its hashing runs in {@code doFinal} either way, so pieces never helped the JIT
     * here as they do for encryption ({@link GcmWarmUp} makes these same calls).
     */
    static byte[] gcmDecrypt(Cipher cipher, byte[] ciphertext, byte[] tag) throws GeneralSecurityException {
        byte[] sealed = java.util.Arrays.copyOf(ciphertext, ciphertext.length + tag.length);
        System.arraycopy(tag, 0, sealed, ciphertext.length, tag.length);
        byte[] out = new byte[ciphertext.length];
        int written = cipher.doFinal(sealed, 0, sealed.length, out, 0);
        return written == out.length ? out : java.util.Arrays.copyOf(out, written);
    }

    private static Cipher gcm(CmsEnvelope envelope, Key key)
        throws GeneralSecurityException, CryptoException, java.io.IOException {
        GCMParameters parameters = GCMParameters.getInstance(envelope.contentAlgorithm().getParameters());
        if (parameters == null || envelope.mac() == null) {
            throw new CryptoException("AES-GCM without parameters or tag");
        }
        int tagBytes = parameters.getIcvLen();
        if (tagBytes < MIN_TAG_BYTES || tagBytes > 16 || envelope.mac().length != tagBytes) {
            throw new CryptoException("AES-GCM tag of " + envelope.mac().length + " bytes (parameters say " + tagBytes
                + "); at least " + MIN_TAG_BYTES + " required");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", BouncyCastle.bulkCipherProvider());
        cipher.init(Cipher.DECRYPT_MODE, aesKey(key), new GCMParameterSpec(tagBytes * 8, parameters.getNonce()));
        if (envelope.authAttributes() != null) {
            // RFC 5083 §2.2: the MAC input is the DER encoding of authAttrs with its SET OF tag.
            cipher.updateAAD(envelope.authAttributes().getEncoded(ASN1Encoding.DER));
        }
        return cipher;
    }

    private static Cipher cbc(CmsEnvelope envelope, Key key) throws GeneralSecurityException, CryptoException {
        ASN1OctetString iv = ASN1OctetString.getInstance(envelope.contentAlgorithm().getParameters());
        if (iv == null || iv.getOctets().length != 16) {
            throw new CryptoException("AES-CBC without a 16-byte IV");
        }
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding", BouncyCastle.bulkCipherProvider());
        cipher.init(Cipher.DECRYPT_MODE, aesKey(key), new IvParameterSpec(iv.getOctets()));
        return cipher;
    }

    private static Key aesKey(Key key) throws CryptoException {
        byte[] encoded = key.getEncoded();
        if (encoded == null || (encoded.length != 16 && encoded.length != 24 && encoded.length != 32)) {
            throw new CryptoException("the unwrapped content key is not an AES key");
        }
        try {
            return new SecretKeySpec(encoded, "AES");
        } finally {
            java.util.Arrays.fill(encoded, (byte) 0);
        }
    }
}
