package org.sealgate.crypto;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.sealgate.keys.ManagedIdentity;

/** Builds detached multipart/signed messages (RFC 8551 §3.5.3). */
final class Signer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signer() {
    }

    static MimeMessage sign(MimeMessage message, ManagedIdentity signer) throws CryptoException {
        try {
            SerializedMessage outer = SerializedMessage.of(message);
            return signed(outer.nonContentHeaderLines(), signableEntity(outer), signer);
        } catch (MessagingException | IOException e) {
            throw new CryptoException("cannot sign: the message cannot be read as MIME: " + e.getMessage(), e);
        }
    }

    /** {@link SmimeCrypto#signCanonical}: the entity is signed and laid out as it is. */
    static MimeMessage signCanonical(List<String> headerLines, byte[] entity, int length, ManagedIdentity signer)
            throws CryptoException {
        try {
            return signed(headerLines, OutgoingEntity.whole(entity, length), signer);
        } catch (MessagingException e) {
            throw new CryptoException("cannot sign: " + e.getMessage(), e);
        }
    }

    private static MimeMessage signed(List<String> headerLines, OutgoingEntity content, ManagedIdentity signer)
            throws CryptoException, MessagingException {
        SignatureAlgorithm algorithm = SignatureAlgorithm.forKey(signer.privateKey());
        byte[] signature = detachedSignature(content, signer, algorithm);
        String boundary = "----=_sealgate_signed_" + HexFormat.of().formatHex(randomBytes());
        List<String> contentType = List.of("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg="
            + algorithm.micalg() + ";" + MimeEntities.CRLF + "\tboundary=\"" + boundary + "\"");
        String crlf = MimeEntities.CRLF;
        // The CRLF before a delimiter belongs to the delimiter, not to the signed content (RFC 2046 §5.1.1).
        return new MessageLayout(MimeEntities.headerLinesWithNewContent(headerLines, contentType))
            .text("This is an S/MIME signed message" + crlf + crlf + "--" + boundary + crlf)
            .entity(content)
            .text(crlf + "--" + boundary + crlf
                + "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"" + crlf
                + "Content-Transfer-Encoding: base64" + crlf
                + "Content-Disposition: attachment; filename=\"smime.p7s\"" + crlf
                + "Content-Description: S/MIME Cryptographic Signature" + crlf + crlf)
            .bytes(Encryptor.base64Lines(signature))
            .text(crlf + "--" + boundary + "--" + crlf)
            .toMessage();
    }

    /**
     * The first part of multipart/signed: 7-bit clean, CRLF line endings; these exact bytes are signed. One pass
     * over the entity decides; the body is copied only when its bytes must change.
     */
    private static OutgoingEntity signableEntity(SerializedMessage outer) throws MessagingException, IOException {
        List<String> contentHeaders = outer.contentHeaderLines();
        if (contentHeaders.isEmpty()) {
            contentHeaders = List.of("Content-Type: text/plain; charset=us-ascii");
        }
        OutgoingEntity entity = OutgoingEntity.of(contentHeaders, outer);
        OutgoingEntity.Scan scan = entity.scan();
        if (scan.needsSevenBitConversion() || scan.declaresBinary()) {
            return OutgoingEntity.whole(MimeEntities.canonicalLineEndings(TransferEncodings.toSevenBit(entity.toArray())));
        }
        return entity.withCanonicalLineEndings(scan.bareLineFeeds());
    }

    private static byte[] detachedSignature(OutgoingEntity content, ManagedIdentity signer, SignatureAlgorithm algorithm)
            throws CryptoException {
        try {
            PrivateKey key = signer.privateKey();
            ContentSigner contentSigner = new JcaContentSignerBuilder(algorithm.jcaName())
                    .setProvider(BouncyCastle.PROVIDER).build(key);
            SignerInfoGenerator signerInfo = new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.digestProvider()).build())
                    // Default attributes: content type, message digest, algorithm protection; signing time is ours.
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(fixedAttributes()))
                    .build(contentSigner, signer.certificate());
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo);
            generator.addCertificates(new JcaCertStore(signer.chain()));
            CMSSignedData signed = generator.generate(new ChunkedContent(content), false);
            return signed.getEncoded();
        } catch (OperatorCreationException | CertificateEncodingException | CMSException | IOException e) {
            throw new CryptoException("signing with " + algorithm.jcaName() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * SMIMECapabilities: tells the partner what we can decrypt, strongest first (RFC 8551 §2.5.2); and the signing
     * time, made here because Bouncy Castle's default one is costly ({@link SigningTime}).
     */
    private static AttributeTable fixedAttributes() {
        SMIMECapabilityVector vector = new SMIMECapabilityVector();
        vector.addCapability(NISTObjectIdentifiers.id_aes256_GCM);
        vector.addCapability(NISTObjectIdentifiers.id_aes128_GCM);
        vector.addCapability(SMIMECapability.aES256_CBC);
        vector.addCapability(SMIMECapability.aES128_CBC);
        vector.addCapability(PKCSObjectIdentifiers.id_RSAES_OAEP);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new SMIMECapabilitiesAttribute(vector));
        attributes.add(SigningTime.attribute(java.time.Instant.now()));
        return new AttributeTable(attributes);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The natural signature algorithm of a key, and the micalg value that names its digest. */
    record SignatureAlgorithm(String jcaName, String micalg) {
        static SignatureAlgorithm forKey(PrivateKey key) throws CryptoException {
            String algorithm = key.getAlgorithm().toUpperCase(Locale.ROOT);
            return switch (algorithm) {
                case "RSA" -> new SignatureAlgorithm("SHA256withRSA", "sha-256");
                case "EC", "ECDSA" -> new SignatureAlgorithm("SHA256withECDSA", "sha-256");
                // RFC 8419 §3.1: Ed25519 signatures in CMS use SHA-512 as the message digest.
                case "ED25519", "EDDSA" -> new SignatureAlgorithm("Ed25519", "sha-512");
                default -> throw new CryptoException("cannot sign with a " + key.getAlgorithm() + " key");
            };
        }
    }
}
