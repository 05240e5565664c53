package org.sealgate.crypto;

import java.util.Objects;

/**
 * How {@link SmimeCrypto#encrypt} protects a message. The default is authenticated encryption (AES-256-GCM
 * AuthEnvelopedData) with RSA-OAEP; CBC and PKCS#1 v1.5 exist only for partners whose clients cannot do better.
 */
public record EncryptionPolicy(ContentEncryption content, RsaKeyTransport rsa) {

    public static final EncryptionPolicy DEFAULT = new EncryptionPolicy(ContentEncryption.AES256_GCM, RsaKeyTransport.OAEP_SHA256);

    public EncryptionPolicy {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(rsa, "rsa");
    }

    public EncryptionPolicy withContent(ContentEncryption newContent) {
        return new EncryptionPolicy(newContent, rsa);
    }

    public EncryptionPolicy withRsa(RsaKeyTransport newRsa) {
        return new EncryptionPolicy(content, newRsa);
    }

    public enum ContentEncryption {
        /** AuthEnvelopedData (RFC 5083/5084), smime-type=authEnveloped-data. */
        AES256_GCM,
        /** EnvelopedData, smime-type=enveloped-data; no integrity protection. */
        AES256_CBC
    }

    public enum RsaKeyTransport {
        /** RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017, RFC 4055). */
        OAEP_SHA256,
        /** RSAES-PKCS1-v1_5, for legacy clients only. */
        PKCS1_V15
    }
}
