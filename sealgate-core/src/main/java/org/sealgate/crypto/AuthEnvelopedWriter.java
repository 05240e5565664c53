package org.sealgate.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JceGenericKey;

/**
 * AES-256-GCM AuthEnvelopedData (RFC 5083, RFC 5084) written as DER into one array, the JDK's GCM putting the
 * ciphertext straight into its place. Bouncy Castle's generator collected the ciphertext in a growing stream, copied
 * it into a BER octet string and encoded the whole structure once more (three copies of the mail); the recipient
 * infos still come from Bouncy Castle's generators. No authenticated attributes, so the GCM AAD is empty.
 */
final class AuthEnvelopedWriter {
    /** Piece size handed to the cipher: many calls per mail get the JDK's GCM compiled soon (see ChunkedContent). */
    static final int PIECE = ChunkedContent.CHUNK;
    static final int TAG_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};
    private static final byte[] DATA_TYPE = der(CMSObjectIdentifiers.data);
    private static final byte[] ENVELOPE_TYPE = der(CMSObjectIdentifiers.authEnvelopedData);
    /**
     * One cipher object per thread, initialised afresh (new key, new nonce) for every mail: Cipher.getInstance's
     * provider look-up was a tenth of the encryption's samples. The object keeps no key between mails that matters:
     * init replaces it.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding", BouncyCastle.bulkCipherProvider());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no AES/GCM/NoPadding: " + e.getMessage(), e);
        }
    });

    private AuthEnvelopedWriter() {
    }

    /** The DER ContentInfo (authEnvelopedData) of {@code content} for these recipients. */
    static byte[] encode(byte[] content, List<RecipientInfoGenerator> recipients) throws CryptoException {
        return encode(OutgoingEntity.whole(content), recipients);
    }

    /** The DER ContentInfo (authEnvelopedData) of the entity for these recipients, read where its bytes lie. */
    static byte[] encode(OutgoingEntity content, List<RecipientInfoGenerator> recipients) throws CryptoException {
        try {
            // Fresh random key and nonce per mail; the bytes are what KeyGenerator("AES") would return, without
            // its provider look-up.
            byte[] keyBytes = new byte[32];
            RANDOM.nextBytes(keyBytes);
            SecretKey key = new SecretKeySpec(keyBytes, "AES");
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            AlgorithmIdentifier algorithm = new AlgorithmIdentifier(NISTObjectIdentifiers.id_aes256_GCM,
                new GCMParameters(nonce, TAG_BYTES));
            ASN1EncodableVector infos = new ASN1EncodableVector();
            JceGenericKey contentKey = new JceGenericKey(algorithm, key);
            for (RecipientInfoGenerator recipient : recipients) {
                infos.add(recipient.generate(contentKey));
            }
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            Arrays.fill(keyBytes, (byte) 0);
            return layOut(content, new DERSet(infos).getEncoded(ASN1Encoding.DER),
                algorithm.getEncoded(ASN1Encoding.DER), cipher);
        } catch (GeneralSecurityException | CMSException | IOException | IllegalStateException e) {
            throw new CryptoException("AES-256-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * ContentInfo { authEnvelopedData, [0] AuthEnvelopedData { version 0, recipientInfos, EncryptedContentInfo {
     * data, algorithm, [0] IMPLICIT ciphertext }, mac } }, every length known before the first byte is written.
     */
    static byte[] layOut(OutgoingEntity content, byte[] recipientInfos, byte[] algorithm, Cipher cipher)
            throws GeneralSecurityException, IOException {
        int contentLength = content.length();
        int contentInfoBody = DATA_TYPE.length + algorithm.length + Der.headerLength(contentLength) + contentLength;
        int envelopedBody = VERSION_0.length + recipientInfos.length + Der.headerLength(contentInfoBody)
            + contentInfoBody + 2 + TAG_BYTES;
        int explicitBody = Der.headerLength(envelopedBody) + envelopedBody;
        int outerBody = ENVELOPE_TYPE.length + Der.headerLength(explicitBody) + explicitBody;
        byte[] out = new byte[Der.headerLength(outerBody) + outerBody];
        int p = Der.header(out, 0, 0x30, outerBody);
        p = Der.put(out, p, ENVELOPE_TYPE);
        p = Der.header(out, p, 0xA0, explicitBody);
        p = Der.header(out, p, 0x30, envelopedBody);
        p = Der.put(out, p, VERSION_0);
        p = Der.put(out, p, recipientInfos);
        p = Der.header(out, p, 0x30, contentInfoBody);
        p = Der.put(out, p, DATA_TYPE);
        p = Der.put(out, p, algorithm);
        p = Der.header(out, p, 0x80, contentLength);
        byte[] tag = seal(cipher, content, out, p);
        p += contentLength;
        out[p++] = 0x04;
        out[p++] = TAG_BYTES;
        System.arraycopy(tag, 0, out, p, TAG_BYTES);
        if (p + TAG_BYTES != out.length) {
            throw new IllegalStateException("DER layout mismatch: " + (p + TAG_BYTES) + " of " + out.length);
        }
        return out;
    }

    /**
     * Encrypts {@code content} into {@code out} at {@code offset} in {@link #PIECE} pieces and returns the tag. The
     * warm-up ({@link GcmWarmUp}) calls this same method, so what the JIT compiles for it serves the mails.
     */
    static byte[] seal(Cipher cipher, byte[] content, byte[] out, int offset) throws GeneralSecurityException {
        return seal(cipher, OutgoingEntity.whole(content), out, offset);
    }

    /**
     * {@link #seal(Cipher, byte[], byte[], int)} for an entity read where it lies. The mails and the warm-up both call
     * this very method: C2 compiles it as a root with the JDK's GCM inlined (intrinsics), and a mail reaching GCM
     * through another, cold method would hash in plain Java for its first thousands of calls.
     */
    static byte[] seal(Cipher cipher, OutgoingEntity content, byte[] out, int offset) throws GeneralSecurityException {
        return finish(cipher, out, offset, content.encryptInto(cipher, out, offset), content.length());
    }

    /**
     * Hands {@code length} bytes from {@code in} at {@code from} to the cipher in {@link #PIECE} pieces, the output
     * going to {@code out} at {@code offset}; returns the bytes the cipher wrote (GCM holds back a partial block).
     * The warm-up and the mails both run this loop, so C2 compiles it with the JDK's GCM inlined.
     */
    static int update(Cipher cipher, byte[] in, int from, int length, byte[] out, int offset)
            throws GeneralSecurityException {
        int written = 0;
        for (int done = 0; done < length; done += PIECE) {
            written += cipher.update(in, from + done, Math.min(PIECE, length - done), out, offset + written);
        }
        return written;
    }

    /** The last partial block after the {@code written} bytes at {@code offset}, and the tag (returned). */
    static byte[] finish(Cipher cipher, byte[] out, int offset, int written, int contentLength)
            throws GeneralSecurityException {
        // The last partial block and the tag: at most 15 + 16 bytes.
        byte[] last = cipher.doFinal();
        int rest = last.length - TAG_BYTES;
        if (rest < 0 || written + rest != contentLength) {
            throw new GeneralSecurityException("the cipher returned " + (written + rest) + " of " + contentLength + " bytes");
        }
        System.arraycopy(last, 0, out, offset + written, rest);
        byte[] tag = new byte[TAG_BYTES];
        System.arraycopy(last, rest, tag, 0, TAG_BYTES);
        return tag;
    }

    private static byte[] der(org.bouncycastle.asn1.ASN1Object object) {
        try {
            return object.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + object, e);
        }
    }

    /** Definite-length DER headers. */
    static final class Der {
        private Der() {
        }

        static int headerLength(int length) {
            return length < 0x80 ? 2 : length < 0x100 ? 3 : length < 0x10000 ? 4 : length < 0x1000000 ? 5 : 6;
        }

        static int header(byte[] out, int p, int tag, int length) {
            out[p++] = (byte) tag;
            if (length < 0x80) {
                out[p++] = (byte) length;
                return p;
            }
            int bytes = headerLength(length) - 2;
            out[p++] = (byte) (0x80 | bytes);
            for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
                out[p++] = (byte) (length >>> shift);
            }
            return p;
        }

        static int put(byte[] out, int p, byte[] bytes) {
            System.arraycopy(bytes, 0, out, p, bytes.length);
            return p + bytes.length;
        }
    }
}
