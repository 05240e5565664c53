package org.sealgate.keys;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for the demo and for tests: a self-signed CA that issues S/MIME end-entity
 * certificates and CRLs. Not a production CA (no persistence of issued serials, no policy).
 */
public final class CertificateIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IssuedIdentity ca;

    private CertificateIssuer(IssuedIdentity ca) {
        this.ca = ca;
    }

    /** RSA 3072 CA valid from an hour ago for ten years. */
    public static CertificateIssuer newCa(String commonName) {
        return newCa(commonName, KeyType.RSA_3072);
    }

    public static CertificateIssuer newCa(String commonName, KeyType keyType) {
        Instant now = Instant.now();
        return newCa(commonName, keyType, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)));
    }

    public static CertificateIssuer newCa(String commonName, KeyType keyType, Instant notBefore, Instant notAfter) {
        if (!keyType.canSign()) {
            throw new IllegalArgumentException("a CA key must be able to sign: " + keyType);
        }
        KeyPair keys = generateKeyPair(keyType);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Sealgate").addRDN(BCStyle.CN, commonName).build();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                    Date.from(notAfter), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = toCertificate(builder.build(signer(keys.getPrivate())));
            return new CertificateIssuer(new IssuedIdentity(keys, certificate, List.of(certificate)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create CA certificate", e);
        }
    }

    /** A subordinate CA signed by this one; certificates it issues carry the chain up to this CA's root. */
    public CertificateIssuer newIntermediate(String commonName, KeyType keyType) {
        if (!keyType.canSign()) {
            throw new IllegalArgumentException("a CA key must be able to sign: " + keyType);
        }
        KeyPair keys = generateKeyPair(keyType);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Sealgate").addRDN(BCStyle.CN, commonName).build();
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(now.minus(Duration.ofHours(1))), ca.certificate().getNotAfter(), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca.certificate()));
            X509Certificate certificate = toCertificate(builder.build(signer(ca.keyPair().getPrivate())));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(ca.chain());
            return new CertificateIssuer(new IssuedIdentity(keys, certificate, chain));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create intermediate CA certificate", e);
        }
    }

    public X509Certificate certificate() {
        return ca.certificate();
    }

    /** The CA's own key and certificate (e.g. to sign with it in tests). */
    public IssuedIdentity identity() {
        return ca;
    }

    public String certificatePem() {
        return pem(ca.certificate());
    }

    public void writeCertificatePem(java.nio.file.Path file) throws IOException {
        java.nio.file.Files.writeString(file, certificatePem(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    public void writeCrlPem(java.nio.file.Path file, X509CRL crl) throws IOException {
        java.nio.file.Files.writeString(file, pem(crl), java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** An end-entity certificate with SAN rfc822Name; the subject key is generated here. */
    public IssuedIdentity issue(IssueRequest request) {
        KeyPair keys = generateKeyPair(request.keyType());
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Sealgate")
                .addRDN(BCStyle.CN, request.commonName()).build();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(request.notBefore()), Date.from(request.notAfter()), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca.certificate()))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.rfc822Name, request.email())));
            int keyUsage = request.keyUsage() == null ? defaultKeyUsage(request.keyType()) : request.keyUsage();
            if (keyUsage != 0) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            }
            List<KeyPurposeId> purposes = request.extendedKeyUsage() == null
                    ? List.of(KeyPurposeId.id_kp_emailProtection) : request.extendedKeyUsage();
            if (!purposes.isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
            }
            X509Certificate certificate = toCertificate(builder.build(signer(ca.keyPair().getPrivate())));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(ca.chain());
            return new IssuedIdentity(keys, certificate, chain);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue certificate for " + request.email(), e);
        }
    }

    /** Signing + encryption for RSA and EC; key agreement only for X25519; signing only for Ed25519. */
    static int defaultKeyUsage(KeyType type) {
        return switch (type) {
            case RSA_2048, RSA_3072 -> KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
            case EC_P256, EC_P384 -> KeyUsage.digitalSignature | KeyUsage.keyAgreement;
            case X25519 -> KeyUsage.keyAgreement;
            case ED25519 -> KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
        };
    }

    /** A CRL valid from an hour ago for a week, listing the given serial numbers. */
    public X509CRL crl(Collection<BigInteger> revokedSerials) {
        Instant now = Instant.now();
        return crl(revokedSerials, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)));
    }

    public X509CRL crl(Collection<BigInteger> revokedSerials, Instant thisUpdate, Instant nextUpdate) {
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(ca.certificate(), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (BigInteger serial : revokedSerials) {
                builder.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
            return new JcaX509CRLConverter().setProvider(bouncyCastle()).getCRL(builder.build(signer(ca.keyPair().getPrivate())));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create CRL", e);
        }
    }

    public static KeyPair generateKeyPair(KeyType type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.algorithm(), bouncyCastle());
            if (type.algorithm().equals("RSA")) {
                generator.initialize(type.size(), RANDOM);
            } else if (type.algorithm().equals("EC")) {
                generator.initialize(new ECGenParameterSpec(type.size() == 384 ? "secp384r1" : "secp256r1"), RANDOM);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + type + " key", e);
        }
    }

    /** PEM of a certificate, CRL or public key. */
    public static String pem(Object object) {
        try (StringWriter out = new StringWriter(); JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
            writer.flush();
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
    }

    static String bouncyCastle() {
        synchronized (CertificateIssuer.class) {
            if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
                Security.addProvider(new BouncyCastleProvider());
            }
        }
        return BouncyCastleProvider.PROVIDER_NAME;
    }

    private static ContentSigner signer(PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> "Ed25519";
        };
        try {
            return new JcaContentSignerBuilder(algorithm).setProvider(bouncyCastle()).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with " + algorithm, e);
        }
    }

    private static X509Certificate toCertificate(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().setProvider(bouncyCastle()).getCertificate(holder);
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

}
