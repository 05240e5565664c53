package org.sealgate.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KEKRecipientId;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.util.encoders.Hex;
import org.sealgate.keys.ManagedIdentity;

/** Opens application/pkcs7-mime EnvelopedData and AuthEnvelopedData messages. */
final class Decryptor {
    private static final Map<ASN1ObjectIdentifier, String> CONTENT_ALGORITHMS = Map.ofEntries(
            Map.entry(NISTObjectIdentifiers.id_aes128_GCM, "AES-128-GCM"),
            Map.entry(NISTObjectIdentifiers.id_aes192_GCM, "AES-192-GCM"),
            Map.entry(NISTObjectIdentifiers.id_aes256_GCM, "AES-256-GCM"),
            Map.entry(NISTObjectIdentifiers.id_aes128_CCM, "AES-128-CCM"),
            Map.entry(NISTObjectIdentifiers.id_aes256_CCM, "AES-256-CCM"),
            Map.entry(NISTObjectIdentifiers.id_aes128_CBC, "AES-128-CBC"),
            Map.entry(NISTObjectIdentifiers.id_aes192_CBC, "AES-192-CBC"),
            Map.entry(NISTObjectIdentifiers.id_aes256_CBC, "AES-256-CBC"),
            Map.entry(PKCSObjectIdentifiers.des_EDE3_CBC, "3DES-CBC"),
            Map.entry(PKCSObjectIdentifiers.id_alg_AEADChaCha20Poly1305, "ChaCha20-Poly1305"));

    private Decryptor() {
    }

    static DecryptionResult decrypt(MimeMessage message, Collection<ManagedIdentity> candidates) throws CryptoException {
        byte[] cms = cmsBytes(message);
        Envelope envelope = Envelope.parse(cms);
        List<String> recipientIds = new ArrayList<>();
        CryptoException lastFailure = null;
        for (RecipientInformation recipient : envelope.recipients().getRecipients()) {
            recipientIds.add(describe(recipient.getRID()));
            for (ManagedIdentity candidate : candidates) {
                if (!matches(recipient.getRID(), candidate)) {
                    continue;
                }
                byte[] plaintext;
                try {
                    plaintext = recipient.getContent(recipientFor(recipient, candidate, envelope.authenticated()));
                } catch (CMSException | RuntimeException e) {
                    // RuntimeException: BC reports some malformed wrapped keys and failed MACs unchecked.
                    lastFailure = new CryptoException("decryption with the key of " + candidate.address() + " failed ("
                            + (envelope.authenticated() ? "integrity check or key unwrap" : "key unwrap or padding")
                            + "): " + e.getMessage(), e);
                    continue;
                }
                return new DecryptionResult(MimeEntities.withInnerEntity(message, plaintext), candidate, envelope.algorithmName(),
                        envelope.authenticated());
            }
        }
        if (lastFailure != null) {
            throw lastFailure;
        }
        throw new NoMatchingKeyException(recipientIds);
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
            try (InputStream in = message.getInputStream()) {
                return MimeEntities.readAll(in);
            }
        } catch (MessagingException | IOException e) {
            throw new CryptoException("cannot read the S/MIME body (bad MIME or transfer encoding): " + e.getMessage(), e);
        }
    }

    /** The parsed CMS object, told apart by its ContentInfo type since smime-type may be missing or lie. */
    private record Envelope(RecipientInformationStore recipients, String algorithmName, boolean authenticated) {
        static Envelope parse(byte[] cms) throws CryptoException {
            ContentInfo info;
            try {
                info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(cms));
                if (info == null) {
                    throw new CryptoException("the S/MIME body is empty");
                }
                ASN1ObjectIdentifier type = info.getContentType();
                if (CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
                    CMSAuthEnvelopedData data = new CMSAuthEnvelopedData(info);
                    return new Envelope(data.getRecipientInfos(), algorithmName(data.getEncryptionAlgOID()), true);
                }
                if (CMSObjectIdentifiers.envelopedData.equals(type)) {
                    CMSEnvelopedData data = new CMSEnvelopedData(info);
                    return new Envelope(data.getRecipientInfos(), algorithmName(data.getEncryptionAlgOID()), false);
                }
                throw new CryptoException("the S/MIME body is CMS " + type.getId() + ", not (auth)enveloped data");
            } catch (IOException | CMSException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
                throw new CryptoException("the CMS structure is garbled or truncated: " + e.getMessage(), e);
            }
        }

        private static String algorithmName(String oid) {
            return CONTENT_ALGORITHMS.getOrDefault(new ASN1ObjectIdentifier(oid), oid);
        }
    }

    private static boolean matches(RecipientId id, ManagedIdentity candidate) {
        if (!(id instanceof KeyTransRecipientId) && !(id instanceof KeyAgreeRecipientId)) {
            return false;
        }
        try {
            return id.match(new X509CertificateHolder(candidate.certificate().getEncoded()));
        } catch (CertificateEncodingException | IOException e) {
            return false;
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
