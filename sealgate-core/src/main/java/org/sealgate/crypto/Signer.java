package org.sealgate.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.bouncycastle.cms.CMSProcessableByteArray;
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
        SignatureAlgorithm algorithm = SignatureAlgorithm.forKey(signer.privateKey());
        try {
            MimeEntities.Entity outer = MimeEntities.Entity.parse(MimeEntities.serialize(message));
            byte[] content = signableEntity(outer);
            byte[] signature = detachedSignature(content, signer, algorithm);
            String boundary = "----=_sealgate_signed_" + HexFormat.of().formatHex(randomBytes());
            MimeEntities.Entity signed = new MimeEntities.Entity(List.of(
                    "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg="
                            + algorithm.micalg() + ";" + MimeEntities.CRLF + "\tboundary=\"" + boundary + "\""),
                    multipartBody(boundary, content, signature));
            return MimeEntities.withNewContent(outer.nonContentHeaderLines(), signed);
        } catch (MessagingException | IOException e) {
            throw new CryptoException("cannot sign: the message cannot be read as MIME: " + e.getMessage(), e);
        }
    }

    /** The first part of multipart/signed: 7-bit clean, CRLF line endings; these exact bytes are signed. */
    private static byte[] signableEntity(MimeEntities.Entity outer) throws MessagingException, IOException {
        List<String> contentHeaders = outer.contentHeaderLines();
        if (contentHeaders.isEmpty()) {
            contentHeaders = List.of("Content-Type: text/plain; charset=us-ascii");
        }
        byte[] entity = MimeEntities.join(contentHeaders, outer.body());
        if (TransferEncodings.needsSevenBitConversion(entity) || TransferEncodings.declaresBinary(entity)) {
            entity = TransferEncodings.toSevenBit(entity);
        }
        return MimeEntities.canonicalLineEndings(entity);
    }

    private static byte[] detachedSignature(byte[] content, ManagedIdentity signer, SignatureAlgorithm algorithm)
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
            CMSSignedData signed = generator.generate(new CMSProcessableByteArray(content), false);
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

    private static byte[] multipartBody(String boundary, byte[] content, byte[] signature) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(content.length + signature.length * 2);
        String crlf = MimeEntities.CRLF;
        write(out, "This is an S/MIME signed message" + crlf + crlf + "--" + boundary + crlf);
        out.writeBytes(content);
        // The CRLF before the delimiter belongs to the delimiter, not to the signed content (RFC 2046 §5.1.1).
        write(out, crlf + "--" + boundary + crlf
                + "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"" + crlf
                + "Content-Transfer-Encoding: base64" + crlf
                + "Content-Disposition: attachment; filename=\"smime.p7s\"" + crlf
                + "Content-Description: S/MIME Cryptographic Signature" + crlf + crlf);
        out.writeBytes(Encryptor.base64Lines(signature));
        write(out, crlf + "--" + boundary + "--" + crlf);
        return out.toByteArray();
    }

    private static void write(java.io.ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
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
