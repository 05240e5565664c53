package org.sealgate.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.KeyTransRecipientInfoGenerator;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputEncryptor;

/** Builds application/pkcs7-mime (authEnveloped-data or enveloped-data) messages. */
final class Encryptor {
    private static final Base64.Encoder MIME_BASE64 = Base64.getMimeEncoder(76,
        MimeEntities.CRLF.getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private Encryptor() {
    }

    static MimeMessage encrypt(MimeMessage message, List<X509Certificate> recipients, EncryptionPolicy policy,
                               HeaderProtection headers) throws CryptoException {
        if (recipients == null || recipients.isEmpty()) {
            throw new CryptoException("cannot encrypt: no recipient certificates");
        }
        List<RecipientInfoGenerator> recipientInfos = new ArrayList<>();
        for (X509Certificate recipient : recipients) {
            recipientInfos.add(recipientInfo(recipient, policy));
        }
        try {
            SerializedMessage outer = SerializedMessage.of(message);
            OutgoingEntity inner = innerEntity(outer, headers);
            byte[] cms = policy.content() == EncryptionPolicy.ContentEncryption.AES256_GCM
                    ? AuthEnvelopedWriter.encode(inner, recipientInfos) : enveloped(inner, recipientInfos);
            String smimeType = policy.content() == EncryptionPolicy.ContentEncryption.AES256_GCM
                    ? "authEnveloped-data" : "enveloped-data";
            List<String> body = List.of(
                    "Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=\"smime.p7m\"",
                    "Content-Transfer-Encoding: base64",
                    "Content-Disposition: attachment; filename=\"smime.p7m\"",
                    "Content-Description: S/MIME Encrypted Message");
            return new MessageLayout(MimeEntities.headerLinesWithNewContent(
                    headers.outerLines(outer.nonContentHeaderLines()), body))
                    .bytes(base64Lines(cms))
                    .toMessage();
        } catch (MessagingException | IOException e) {
            throw new CryptoException("cannot encrypt: the message cannot be read as MIME: " + e.getMessage(), e);
        }
    }

    /**
     * The content entity that gets encrypted: the original Content-* headers and body. Line endings become CRLF
     * unless a part is declared binary (where a LF may be data, not a line break).
     */
    static byte[] innerEntity(MimeEntities.Entity outer, HeaderProtection headers) {
        byte[] entity = MimeEntities.join(innerHeaderLines(outer.nonContentHeaderLines(), outer.contentHeaderLines(),
                headers), outer.body());
        return TransferEncodings.declaresBinary(entity) ? entity : MimeEntities.canonicalLineEndings(entity);
    }

    /** {@link #innerEntity(MimeEntities.Entity, HeaderProtection)} with the body read where it lies, one pass over it. */
    static OutgoingEntity innerEntity(SerializedMessage outer, HeaderProtection headers) {
        OutgoingEntity entity = OutgoingEntity.of(innerHeaderLines(outer.nonContentHeaderLines(),
                outer.contentHeaderLines(), headers), outer);
        OutgoingEntity.Scan scan = entity.scan();
        return scan.declaresBinary() ? entity : entity.withCanonicalLineEndings(scan.bareLineFeeds());
    }

    private static List<String> innerHeaderLines(List<String> nonContentLines, List<String> contentHeaders,
                                                 HeaderProtection headers) {
        if (contentHeaders.isEmpty()) {
            contentHeaders = List.of("Content-Type: text/plain; charset=us-ascii");
        }
        List<String> innerHeaders = new ArrayList<>(headers.innerHeaderLines(nonContentLines));
        innerHeaders.addAll(headers.innerContentLines(contentHeaders));
        return innerHeaders;
    }

    private static byte[] enveloped(OutgoingEntity content, List<RecipientInfoGenerator> recipients) throws CryptoException {
        try {
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            recipients.forEach(generator::addRecipientInfoGenerator);
            OutputEncryptor encryptor = new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                    .setProvider(BouncyCastle.bulkCipherProvider()).build();
            return generator.generate(new ChunkedContent(content), encryptor).getEncoded();
        } catch (CMSException | IOException e) {
            throw new CryptoException("AES-256-CBC encryption failed: " + e.getMessage(), e);
        }
    }

    private static RecipientInfoGenerator recipientInfo(X509Certificate certificate, EncryptionPolicy policy)
            throws CryptoException {
        KeyKind kind = EncryptionFacts.of(certificate).kind();
        try {
            return switch (kind) {
                case RSA -> policy.rsa() == EncryptionPolicy.RsaKeyTransport.PKCS1_V15
                        ? new JceKeyTransRecipientInfoGenerator(certificate).setProvider(BouncyCastle.PROVIDER)
                        : oaep(certificate);
                // The key owner restricted the key to OAEP (RFC 4055 §1.2): never use v1.5 with it.
                case RSA_OAEP_ONLY -> oaepOnly(certificate);
                case EC -> keyAgreement(certificate, CMSAlgorithm.ECDH_SHA256KDF, ecEphemeralKey(certificate));
                // RFC 8418: X25519/X448 use the same stdDH KDF OIDs as ECDH; BC cannot, see XdhKeyAgreement.
                case X25519, X448 -> XdhKeyAgreement.recipientInfoGenerator(certificate);
                default -> throw new CryptoException("cannot encrypt to " + who(certificate) + ": key type "
                        + certificate.getPublicKey().getAlgorithm() + " does not support encryption");
            };
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot use the certificate of " + who(certificate) + " for encryption: "
                    + e.getMessage(), e);
        }
    }

    /** The subject, for error messages only: rendering the name is not free, and every recipient passes here. */
    private static String who(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static RecipientInfoGenerator oaep(X509Certificate certificate) {
        return oaep(certificate, certificate.getPublicKey());
    }

    private static RecipientInfoGenerator oaep(X509Certificate certificate, PublicKey key) {
        IssuerAndSerialNumber recipient = new IssuerAndSerialNumber(
                X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()), certificate.getSerialNumber());
        return new KeyTransRecipientInfoGenerator(recipient, new OaepKeyWrapper(key)) {
        };
    }

    /** RSAES-OAEP with SHA-256 and MGF1-SHA-256: immutable, built once (it took a provider look-up per mail). */
    private static final AlgorithmIdentifier OAEP_SHA256 = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP,
            new RSAESOAEPparams(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE),
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1,
                            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE)),
                    RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));

    static AlgorithmIdentifier oaepSha256() {
        return OAEP_SHA256;
    }

    /**
     * The JDK parses an id-RSAES-OAEP key into an opaque key that BC's RSA cipher rejects ("unknown key type"), so
     * the key is re-read as a plain RSA key; the recipient is still identified by issuer and serial.
     */
    private static RecipientInfoGenerator oaepOnly(X509Certificate certificate) throws GeneralSecurityException {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
        SubjectPublicKeyInfo asRsa = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), info.getPublicKeyData().getBytes());
        PublicKey key;
        try {
            key = KeyFactory.getInstance("RSA", BouncyCastle.PROVIDER).generatePublic(new X509EncodedKeySpec(asRsa.getEncoded()));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot re-encode the OAEP public key", e);
        }
        return oaep(certificate, key);
    }

    /** One generator per recipient: each recipient gets its own ephemeral key on its own curve. */
    private static RecipientInfoGenerator keyAgreement(X509Certificate certificate,
                                                       org.bouncycastle.asn1.ASN1ObjectIdentifier agreement,
                                                       KeyPair ephemeral) throws GeneralSecurityException {
        return new JceKeyAgreeRecipientInfoGenerator(agreement, ephemeral.getPrivate(), ephemeral.getPublic(),
                CMSAlgorithm.AES256_WRAP).addRecipient(certificate).setProvider(BouncyCastle.PROVIDER);
    }

    private static KeyPair ecEphemeralKey(X509Certificate certificate) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
        generator.initialize(((ECPublicKey) certificate.getPublicKey()).getParams());
        return generator.generateKeyPair();
    }

    /**
     * Base64 in 76-character CRLF lines (RFC 2045 §6.8) and a final CRLF, encoded straight into bytes: through a
     * String it took three more copies of the (1.37× larger) result.
     */
    static byte[] base64Lines(byte[] data) {
        int encodedLength = 4 * ((data.length + 2) / 3);
        // The MIME encoder puts CRLF between lines, not after the last one; the array has room for that last CRLF.
        int separators = data.length == 0 ? 0 : (data.length - 1) / 57;
        byte[] out = new byte[encodedLength + 2 * separators + 2];
        int written = MIME_BASE64.encode(data, out);
        out[written] = '\r';
        out[written + 1] = '\n';
        return out;
    }
}
