package org.sealgate.crypto;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import org.sealgate.keys.ManagedIdentity;

/**
 * All S/MIME cryptography of Sealgate (RFC 8551), behind one facade so mailets never touch Bouncy Castle.
 * Thread-safe; its only state is a bounded cache of validated certification paths ({@link ValidatedPathCache}) and
 * counters; the only global effect is registering the Bouncy Castle provider once.
 * Every method returns a new message and leaves its argument's content untouched. (A message built in memory and
 * never saved is serialised with JavaMail's writeTo, which runs saveChanges() on it first, as sending it would.)
 */
public final class SmimeCrypto {
    /** Content decryptions attempted by this facade (each costs a key unwrap and a pass over the content). */
    private final LongAdder contentDecryptions = new LongAdder();
    private final ValidatedPathCache paths;

    /** With the default path cache ({@link ValidatedPathCache#defaults()}). */
    public SmimeCrypto() {
        this(ValidatedPathCache.defaults());
    }

    /** With this path cache ({@link ValidatedPathCache#none()} to build every path). */
    public SmimeCrypto(ValidatedPathCache paths) {
        BouncyCastle.ensureRegistered();
        GcmWarmUp.startOnce();
        this.paths = Objects.requireNonNull(paths, "paths");
    }

    /** The certification paths this facade remembers (for metrics and tests). */
    public ValidatedPathCache pathCache() {
        return paths;
    }

    /**
     * Encrypts the message's content entity (Content-* headers + body) for all recipients. All other headers are
     * kept on the result. AES-256-GCM AuthEnvelopedData by default, AES-256-CBC EnvelopedData when the policy says.
     */
    public MimeMessage encrypt(MimeMessage message, List<X509Certificate> recipients, EncryptionPolicy policy)
            throws CryptoException {
        return encrypt(message, recipients, policy, HeaderProtection.OFF);
    }

    /** As above, with the Subject (and the other user-facing fields) protected inside the encryption (RFC 9788). */
    public MimeMessage encrypt(MimeMessage message, List<X509Certificate> recipients, EncryptionPolicy policy,
                               HeaderProtection headers) throws CryptoException {
        Objects.requireNonNull(message, "message");
        return Encryptor.encrypt(message, recipients, policy == null ? EncryptionPolicy.DEFAULT : policy,
            headers == null ? HeaderProtection.OFF : headers);
    }

    /** Detached multipart/signed with the signer's natural algorithm over SHA-256 (SHA-512 for Ed25519). */
    public MimeMessage sign(MimeMessage message, ManagedIdentity signer) throws CryptoException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signer, "signer");
        return Signer.sign(message, signer);
    }

    /**
     * As {@link #sign}, for a message its caller lays out itself in canonical form, so that it is neither serialised
     * nor scanned here (a GINA carrier: 1.4 MB of quoted-printable at 1 MB, where serialising and scanning it were a
     * fifth of the sealing). Not checked: content that is not 7-bit with CRLF line ends and lines of at most 998
     * octets is signed as it is, and its signature then fails at the recipient.
     *
     * @param headerLines the message's header lines, without content fields (those are the entity's); folded
     * @param entity      the content to sign in {@code entity[0, length)}: content header lines, an empty line, body
     */
    public MimeMessage signCanonical(List<String> headerLines, byte[] entity, int length, ManagedIdentity signer)
            throws CryptoException {
        Objects.requireNonNull(headerLines, "headerLines");
        Objects.requireNonNull(signer, "signer");
        Objects.checkFromIndexSize(0, length, entity.length);
        return Signer.signCanonical(headerLines, entity, length, signer);
    }

    /**
     * Decrypts with the first candidate whose certificate matches a recipient. For AuthEnvelopedData the MAC is
     * verified before anything is returned.
     *
     * @throws NoMatchingKeyException when no candidate is a recipient
     * @throws CryptoException        when the message is not encrypted, is garbled, or fails its integrity check
     */
    public DecryptionResult decrypt(MimeMessage message, Collection<ManagedIdentity> candidates) throws CryptoException {
        Objects.requireNonNull(message, "message");
        return Decryptor.decrypt(message, candidates == null ? List.of() : candidates, contentDecryptions);
    }

    /**
     * Decrypts once for every candidate the message names (one content decryption, not one per recipient): each
     * further named candidate must hold a RecipientInfo carrying the same content key, else the whole message fails.
     *
     * @throws NoMatchingKeyException when no candidate is a recipient
     * @throws CryptoException        when the message is garbled, fails its integrity check, or names a candidate
     *                                whose RecipientInfo does not open the same content
     */
    public RecipientsDecryption decryptForRecipients(MimeMessage message, Collection<ManagedIdentity> candidates)
            throws CryptoException {
        Objects.requireNonNull(message, "message");
        return Decryptor.decryptForAll(message, candidates == null ? List.of() : candidates, contentDecryptions);
    }

    /** Content decryptions attempted so far by this facade (for metrics and tests). */
    public long contentDecryptions() {
        return contentDecryptions.sum();
    }

    /** Never throws for bad input: every problem becomes a {@link SignatureStatus}. */
    public VerificationResult verify(MimeMessage message, VerificationPolicy policy) {
        Objects.requireNonNull(message, "message");
        return SignatureVerifier.verify(message, policy == null ? VerificationPolicy.trusting(List.of()) : policy, paths);
    }

    /** Whether a certificate may be encrypted to now, or the precise reason why not. */
    public CertificateCheck checkForEncryption(X509Certificate certificate, Instant now, List<X509CRL> crls) {
        EncryptionFacts facts = EncryptionFacts.of(certificate);
        KeyKind kind = facts.kind();
        if (!kind.canEncryptTo()) {
            return CertificateCheck.refused(CertificateCheck.UNSUPPORTED_KEY,
                    "key type " + certificate.getPublicKey().getAlgorithm() + " cannot be encrypted to");
        }
        if (CertificateFacts.revokingCrl(certificate, crls == null ? List.of() : crls, List.of()).isPresent()) {
            return CertificateCheck.refused(CertificateCheck.REVOKED,
                    "listed as revoked by " + certificate.getIssuerX500Principal().getName());
        }
        Instant time = now == null ? Instant.now() : now;
        if (time.isAfter(certificate.getNotAfter().toInstant())) {
            return CertificateCheck.refused(CertificateCheck.EXPIRED, "expired " + certificate.getNotAfter().toInstant());
        }
        if (time.isBefore(certificate.getNotBefore().toInstant())) {
            return CertificateCheck.refused(CertificateCheck.NOT_YET_VALID,
                    "valid only from " + certificate.getNotBefore().toInstant());
        }
        if (!facts.keyUsageAllows()) {
            return CertificateCheck.refused(CertificateCheck.WRONG_KEY_USAGE, "keyUsage lacks "
                    + (kind.isKeyAgreement() ? "keyAgreement" : "keyEncipherment"));
        }
        if (!facts.ekuAllows()) {
            return CertificateCheck.refused(CertificateCheck.WRONG_KEY_USAGE, "extendedKeyUsage lacks emailProtection");
        }
        return CertificateCheck.ok();
    }

    /**
     * The signed content of a top-level detached S/MIME signature (multipart/signed) as an unsigned message with
     * the same outer headers: for replacing a signature Sealgate itself made by another kind (OpenPGP).
     *
     * @throws CryptoException when the message is not S/MIME multipart/signed
     */
    public MimeMessage removeDetachedSignature(MimeMessage message) throws CryptoException {
        ContentType type = contentType(message);
        if (type == null || !type.match("multipart/signed") || !SignatureVerifier.isSmimeProtocol(type)
                || type.getParameter("boundary") == null) {
            throw new CryptoException("not an S/MIME multipart/signed message");
        }
        try {
            List<byte[]> parts = MultipartSplitter.split(MimeEntities.rawBody(message), type.getParameter("boundary"));
            if (parts.size() != 2) {
                throw new CryptoException("multipart/signed must have two parts, found " + parts.size());
            }
            return MimeEntities.withInnerEntity(message, parts.get(0));
        } catch (MessagingException | java.io.IOException e) {
            throw new CryptoException("cannot read the signed message: " + e.getMessage(), e);
        }
    }

    /** Top-level application/pkcs7-mime that is (or may be) enveloped or authEnveloped data. */
    public static boolean isEncrypted(MimeMessage message) {
        ContentType type = contentType(message);
        if (type == null || !(type.match("application/pkcs7-mime") || type.match("application/x-pkcs7-mime"))) {
            return false;
        }
        String smimeType = type.getParameter("smime-type");
        return smimeType == null || smimeType.equalsIgnoreCase("enveloped-data")
                || smimeType.equalsIgnoreCase("authEnveloped-data");
    }

    /** Top-level S/MIME multipart/signed or application/pkcs7-mime; smime-type=signed-data (not PGP/MIME). */
    public static boolean isSigned(MimeMessage message) {
        ContentType type = contentType(message);
        if (type == null) {
            return false;
        }
        if (type.match("multipart/signed")) {
            return SignatureVerifier.isSmimeProtocol(type);
        }
        return (type.match("application/pkcs7-mime") || type.match("application/x-pkcs7-mime"))
                && "signed-data".equalsIgnoreCase(type.getParameter("smime-type"));
    }

    /** The certificate's e-mail addresses, normalised: SAN rfc822Name entries, or the DN emailAddress when there are none. */
    public static List<String> emailAddresses(X509Certificate certificate) {
        return CertificateFacts.emailAddresses(certificate);
    }

    private static ContentType contentType(MimeMessage message) {
        try {
            String header = message.getContentType();
            return header == null ? null : new ContentType(header);
        } catch (MessagingException e) {
            return null;
        }
    }
}
