package org.sealgate.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.security.Key;
import java.security.MessageDigest;
import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KEKRecipientId;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.util.encoders.Hex;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.memo.DirectMappedMemo;

/**
 * Opens application/pkcs7-mime EnvelopedData and AuthEnvelopedData messages. Key-transport (RSA) recipients with
 * AES-GCM or AES-CBC content: Bouncy Castle unwraps the content key, the JDK's AES decrypts
 * ({@link JdkContentDecryptor}); everything else (key agreement, other ciphers) goes through Bouncy Castle whole.
 * Every content decryption is counted in the caller's counter (a metric, and the tests' proof of "once").
 */
final class Decryptor {
    private static final DirectMappedMemo<X509Certificate, X509CertificateHolder> HOLDERS = new DirectMappedMemo<>(256);

    private Decryptor() {
    }

    /** Decrypts with the first candidate whose key opens a RecipientInfo naming it. */
    static DecryptionResult decrypt(MimeMessage message, Collection<ManagedIdentity> candidates, LongAdder decryptions)
            throws CryptoException {
        CmsEnvelope envelope = CmsEnvelope.parse(cmsBytes(message));
        CryptoException lastFailure = null;
        for (ManagedIdentity candidate : candidates) {
            if (!named(envelope, candidate)) {
                continue;
            }
            try {
                Opened opened = open(envelope, candidate, decryptions);
                opened.wipe();
                return result(message, opened.plaintext(), candidate, envelope);
            } catch (NoMatchingKeyException e) {
                continue;
            } catch (CryptoException e) {
                lastFailure = e;
            }
        }
        if (lastFailure != null) {
            throw lastFailure;
        }
        throw new NoMatchingKeyException(recipientIds(envelope));
    }

    /**
     * Decrypts once for every candidate a RecipientInfo names (by issuer and serial or subject key identifier): the
     * first one's key opens the content; each further one must show that its own RecipientInfo carries the same
     * content key (one key unwrap, no second content decryption), or, for key agreement, opens to the same content.
     * Otherwise the whole message fails: a RecipientInfo naming B that does not hold the key (added by someone who
     * re-sent A's mail to A and B) never releases A's plaintext to B.
     *
     * @throws NoMatchingKeyException when no candidate is named
     * @throws CryptoException        when the message is garbled, fails its integrity check, or a named candidate's
     *                                RecipientInfo does not open the same content
     */
    static RecipientsDecryption decryptForAll(MimeMessage message, Collection<ManagedIdentity> candidates,
                                              LongAdder decryptions) throws CryptoException {
        CmsEnvelope envelope = CmsEnvelope.parse(cmsBytes(message));
        List<ManagedIdentity> named = candidates.stream().filter(candidate -> named(envelope, candidate)).toList();
        if (named.isEmpty()) {
            throw new NoMatchingKeyException(recipientIds(envelope));
        }
        Opened opened = open(envelope, named.get(0), decryptions);
        try {
            for (ManagedIdentity other : named.subList(1, named.size())) {
                confirm(envelope, other, opened, decryptions);
            }
        } finally {
            opened.wipe();
        }
        return new RecipientsDecryption(result(message, opened.plaintext(), named.get(0), envelope), named);
    }

    /** Plaintext and, on the JDK path, the content key that opened it (wiped after use). */
    private record Opened(byte[] plaintext, byte[] contentKey) {
        void wipe() {
            if (contentKey != null) {
                Arrays.fill(contentKey, (byte) 0);
            }
        }
    }

    private static DecryptionResult result(MimeMessage message, byte[] plaintext, ManagedIdentity identity,
                                           CmsEnvelope envelope) throws CryptoException {
        return new DecryptionResult(MimeEntities.withInnerEntity(message, plaintext), identity, envelope.algorithmName(),
            envelope.authenticated());
    }

    /** Tries every RecipientInfo naming the candidate; the first that opens wins. */
    private static Opened open(CmsEnvelope envelope, ManagedIdentity candidate, LongAdder decryptions)
            throws CryptoException {
        X509CertificateHolder holder = holder(candidate);
        CryptoException lastFailure = null;
        boolean jdk = JdkContentDecryptor.supports(envelope);
        if (jdk) {
            for (CmsEnvelope.KeyTrans transport : envelope.keyTransports()) {
                if (!transport.id().match(holder)) {
                    continue;
                }
                decryptions.increment();
                try {
                    Key key = new KeyTransUnwrapper(candidate.privateKey()).unwrap(transport.keyEncryption(),
                        envelope.contentAlgorithm(), transport.encryptedKey());
                    byte[] encoded = key.getEncoded();
                    return new Opened(JdkContentDecryptor.decrypt(envelope, key), encoded);
                } catch (CMSException | RuntimeException e) {
                    lastFailure = failure(candidate, envelope, e);
                } catch (CryptoException e) {
                    lastFailure = new CryptoException("decryption with the key of " + candidate.address() + " failed: "
                        + e.getMessage(), e);
                }
            }
        }
        for (RecipientInformation recipient : envelope.recipients().getRecipients()) {
            if (!matches(recipient.getRID(), holder) || (jdk && recipient instanceof KeyTransRecipientInformation)) {
                continue;
            }
            decryptions.increment();
            try {
                return new Opened(recipient.getContent(recipientFor(recipient, candidate, envelope.authenticated())), null);
            } catch (CMSException | RuntimeException e) {
                // RuntimeException: BC reports some malformed wrapped keys and failed MACs unchecked.
                lastFailure = failure(candidate, envelope, e);
            }
        }
        if (lastFailure != null) {
            throw lastFailure;
        }
        throw new NoMatchingKeyException(recipientIds(envelope));
    }

    /** Fails unless a RecipientInfo naming {@code other} carries the content key (or opens to the content) of {@code opened}. */
    private static void confirm(CmsEnvelope envelope, ManagedIdentity other, Opened opened, LongAdder decryptions)
            throws CryptoException {
        X509CertificateHolder holder = holder(other);
        boolean jdk = JdkContentDecryptor.supports(envelope) && opened.contentKey() != null;
        if (jdk) {
            for (CmsEnvelope.KeyTrans transport : envelope.keyTransports()) {
                if (!transport.id().match(holder)) {
                    continue;
                }
                try {
                    byte[] key = new KeyTransUnwrapper(other.privateKey()).unwrap(transport.keyEncryption(),
                        envelope.contentAlgorithm(), transport.encryptedKey()).getEncoded();
                    boolean same = key != null && MessageDigest.isEqual(key, opened.contentKey());
                    if (key != null) {
                        Arrays.fill(key, (byte) 0);
                    }
                    if (same) {
                        return;
                    }
                } catch (CMSException | RuntimeException e) {
                    // not this RecipientInfo; another may name the same certificate
                }
            }
        }
        for (RecipientInformation recipient : envelope.recipients().getRecipients()) {
            if (!matches(recipient.getRID(), holder) || (jdk && recipient instanceof KeyTransRecipientInformation)) {
                continue;
            }
            decryptions.increment();
            try {
                if (Arrays.equals(recipient.getContent(recipientFor(recipient, other, envelope.authenticated())),
                        opened.plaintext())) {
                    return;
                }
            } catch (CMSException | RuntimeException e) {
                // not this RecipientInfo
            }
        }
        throw new CryptoException("the RecipientInfo naming " + other.address()
            + " does not carry the content key that opened the message (refused: its plaintext is not released)");
    }

    private static CryptoException failure(ManagedIdentity candidate, CmsEnvelope envelope, Exception e) {
        return new CryptoException("decryption with the key of " + candidate.address() + " failed ("
            + (envelope.authenticated() ? "integrity check or key unwrap" : "key unwrap or padding") + "): "
            + e.getMessage(), e);
    }

    private static boolean named(CmsEnvelope envelope, ManagedIdentity candidate) {
        X509CertificateHolder holder;
        try {
            holder = holder(candidate);
        } catch (CryptoException e) {
            return false;
        }
        return envelope.recipients().getRecipients().stream().anyMatch(r -> matches(r.getRID(), holder));
    }

    private static List<String> recipientIds(CmsEnvelope envelope) {
        return envelope.recipients().getRecipients().stream().map(r -> describe(r.getRID())).toList();
    }

    private static byte[] cmsBytes(MimeMessage message) throws CryptoException {
        try {
            ContentType type = new ContentType(message.getContentType());
            if (!type.match("application/pkcs7-mime") && !type.match("application/x-pkcs7-mime")) {
                throw new CryptoException("not an encrypted S/MIME message: content type is " + type.getBaseType());
            }
            String smimeType = type.getParameter("smime-type");
            if (smimeType != null && !smimeType.equalsIgnoreCase("enveloped-data")
                    && !smimeType.equalsIgnoreCase("authEnveloped-data")) {
                throw new CryptoException("not an encrypted S/MIME message: smime-type is " + smimeType);
            }
            if ("base64".equalsIgnoreCase(message.getEncoding())) {
                Optional<byte[]> decoded = MimeBase64.decodeInPlace(MimeEntities.rawBody(message));
                if (decoded.isPresent()) {
                    return decoded.get();
                }
            }
            try (InputStream in = message.getInputStream()) {
                return MimeEntities.readAll(in);
            }
        } catch (MessagingException | IOException e) {
            throw new CryptoException("cannot read the S/MIME body (bad MIME or transfer encoding): " + e.getMessage(), e);
        }
    }

    private static boolean matches(RecipientId id, X509CertificateHolder holder) {
        return (id instanceof KeyTransRecipientId || id instanceof KeyAgreeRecipientId) && id.match(holder);
    }

    /** Bouncy Castle's parse of a managed certificate (two per mail and recipient before; the same few certificates). */
    private static X509CertificateHolder holder(ManagedIdentity candidate) throws CryptoException {
        try {
            return HOLDERS.get(candidate.certificate(), Decryptor::parse);
        } catch (UncheckedIOException e) {
            throw new CryptoException("the certificate of " + candidate.address() + " cannot be encoded", e.getCause());
        }
    }

    private static X509CertificateHolder parse(X509Certificate certificate) {
        try {
            return new X509CertificateHolder(certificate.getEncoded());
        } catch (CertificateEncodingException | IOException e) {
            throw new UncheckedIOException(e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static Recipient recipientFor(RecipientInformation info, ManagedIdentity identity, boolean authenticated)
            throws CryptoException {
        if (info instanceof KeyTransRecipientInformation) {
            return authenticated
                    ? new JceKeyTransAuthEnvelopedRecipient(identity.privateKey()).setProvider(BouncyCastle.PROVIDER)
                    : new JceKeyTransEnvelopedRecipient(identity.privateKey()).setProvider(BouncyCastle.PROVIDER);
        }
        if (info instanceof KeyAgreeRecipientInformation) {
            // XdhKeyAgreement's recipients delegate to BC except for X25519/X448 with the RFC 8418 stdDH KDFs.
            return authenticated
                    ? new XdhKeyAgreement.AuthEnvelopedRecipient(identity.privateKey()).setProvider(BouncyCastle.PROVIDER)
                    : new XdhKeyAgreement.EnvelopedRecipient(identity.privateKey()).setProvider(BouncyCastle.PROVIDER);
        }
        throw new CryptoException("unsupported recipient info type " + info.getClass().getSimpleName());
    }

    private static String describe(RecipientId id) {
        if (id instanceof KeyTransRecipientId kt) {
            return "key transport to " + issuerSerial(kt.getIssuer(), kt.getSerialNumber(), kt.getSubjectKeyIdentifier());
        }
        if (id instanceof KeyAgreeRecipientId ka) {
            return "key agreement with " + issuerSerial(ka.getIssuer(), ka.getSerialNumber(), ka.getSubjectKeyIdentifier());
        }
        if (id instanceof KEKRecipientId kek) {
            return "KEK id " + Hex.toHexString(kek.getKeyIdentifier());
        }
        return "recipient of type " + id.getType();
    }

    private static String issuerSerial(Object issuer, java.math.BigInteger serial, byte[] subjectKeyId) {
        if (issuer != null && serial != null) {
            return "issuer \"" + issuer + "\" serial " + serial.toString(16);
        }
        return "subject key id " + (subjectKeyId == null ? "?" : Hex.toHexString(subjectKeyId));
    }
}
