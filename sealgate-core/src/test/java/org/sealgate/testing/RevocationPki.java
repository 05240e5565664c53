package org.sealgate.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;

/**
 * A test CA that issues partner certificates naming CRL distribution points and OCSP responders, signs CRLs, makes
 * delegated OCSP responder certificates, and writes the files {@code openssl ocsp} serves from.
 */
public final class RevocationPki {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final IssuedIdentity ca;

    private RevocationPki(IssuedIdentity ca) {
        this.ca = ca;
    }

    public static RevocationPki newCa(String commonName) {
        return new RevocationPki(CertificateIssuer.newCa(commonName, KeyType.RSA_2048).identity());
    }

    /** A root and an intermediate under it; the PKI issues (and signs CRLs) as the intermediate. */
    public static RevocationPki newIntermediate(String rootName, String intermediateName) {
        CertificateIssuer root = CertificateIssuer.newCa(rootName, KeyType.RSA_2048);
        return new RevocationPki(root.newIntermediate(intermediateName, KeyType.RSA_2048).identity());
    }

    public X509Certificate certificate() {
        return ca.certificate();
    }

    /**
     * An intermediate CA issued by this CA, its certificate naming {@code crlDistributionPoints} (where this CA
     * publishes the CRL that may revoke it); the PKI returned issues and signs CRLs as the intermediate.
     */
    public RevocationPki subordinate(String commonName, List<URI> crlDistributionPoints) {
        try {
            KeyPair keys = rsa();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))),
                new X500Name("CN=" + commonName + ",O=Sealgate"), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            List<DistributionPoint> points = new ArrayList<>();
            for (URI uri : crlDistributionPoints) {
                points.add(new DistributionPoint(new DistributionPointName(new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString()))), null, null));
            }
            if (!points.isEmpty()) {
                builder.addExtension(Extension.cRLDistributionPoints, false,
                    new CRLDistPoint(points.toArray(new DistributionPoint[0])));
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.keyPair().getPrivate())));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(ca.chain());
            return new RevocationPki(new IssuedIdentity(keys, certificate, chain));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public IssuedIdentity identity() {
        return ca;
    }

    /** An S/MIME certificate for {@code address} (signing and key encipherment) naming the given sources. */
    public IssuedIdentity issue(String address, List<URI> crlDistributionPoints, List<URI> ocspResponders) {
        try {
            KeyPair keys = rsa();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + address);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
            if (!crlDistributionPoints.isEmpty()) {
                List<DistributionPoint> points = new ArrayList<>();
                for (URI uri : crlDistributionPoints) {
                    points.add(new DistributionPoint(new DistributionPointName(new GeneralNames(
                        new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString()))), null, null));
                }
                builder.addExtension(Extension.cRLDistributionPoints, false,
                    new CRLDistPoint(points.toArray(new DistributionPoint[0])));
            }
            if (!ocspResponders.isEmpty()) {
                List<AccessDescription> access = new ArrayList<>();
                for (URI uri : ocspResponders) {
                    access.add(new AccessDescription(AccessDescription.id_ad_ocsp,
                        new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString())));
                }
                builder.addExtension(Extension.authorityInfoAccess, false,
                    new AuthorityInformationAccess(access.toArray(new AccessDescription[0])));
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.keyPair().getPrivate())));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(ca.chain());
            return new IssuedIdentity(keys, certificate, chain);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The root of the chain (the trust anchor). */
    public X509Certificate root() {
        return ca.chain().get(ca.chain().size() - 1);
    }

    /** A delegated OCSP responder certificate (id-kp-OCSPSigning) issued by this CA. */
    public IssuedIdentity ocspResponder(String commonName, boolean ocspSigningEku) {
        try {
            KeyPair keys = rsa();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=" + commonName), keys.getPublic());
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                ocspSigningEku ? KeyPurposeId.id_kp_OCSPSigning : KeyPurposeId.id_kp_emailProtection));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.keyPair().getPrivate())));
            return new IssuedIdentity(keys, certificate, List.of(certificate, ca.certificate()));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CRL listing {@code revoked}, valid from {@code thisUpdate} to {@code nextUpdate}. */
    public X509CRL crl(List<X509Certificate> revoked, Instant thisUpdate, Instant nextUpdate) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                org.bouncycastle.asn1.x500.X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (X509Certificate certificate : revoked) {
                builder.addCRLEntry(certificate.getSerialNumber(), Date.from(thisUpdate.minusSeconds(60)), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.keyPair().getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CRL valid for a day from now. */
    public X509CRL crl(List<X509Certificate> revoked) {
        Instant now = Instant.now();
        return crl(revoked, now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    }

    public static byte[] der(X509CRL crl) {
        try {
            return crl.getEncoded();
        } catch (java.security.cert.CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    public static void writePem(Path file, Object object) throws IOException {
        Files.writeString(file, pem(object), StandardCharsets.US_ASCII);
    }

    /**
     * An {@code openssl ca} index line: {@code V} for valid, {@code R} with a revocation time for revoked
     * (the format {@code openssl ocsp -index} reads).
     */
    public static String indexLine(X509Certificate certificate, boolean revoked) {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
        String expiry = format.format(certificate.getNotAfter().toInstant());
        String revocation = revoked ? format.format(Instant.now().minusSeconds(60)) : "";
        return (revoked ? "R" : "V") + "\t" + expiry + "\t" + revocation + "\t"
            + certificate.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT) + "\tunknown\t/"
            + certificate.getSubjectX500Principal().getName().replace(",", "/") + "\n";
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).setBit(62);
    }
}
