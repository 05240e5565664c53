package org.sealgate.node;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.sealgate.keys.CertificateIssuer;

/**
 * The SMTP listener's STARTTLS key and certificate. An administrator puts a real pair in {@code <data>/tls/}
 * ({@code smtp-key.pem}, PKCS#8, and {@code smtp-cert.pem}, chain); without one, a self-signed certificate for the
 * node's host name is made on first start, so STARTTLS is always offered. James reads them from its conf
 * directory, where they are copied at each start (the key readable by the owner only).
 */
final class SmtpTlsMaterial {
    static final String KEY_FILE = "smtp-key.pem";
    static final String CERTIFICATE_FILE = "smtp-cert.pem";

    private SmtpTlsMaterial() {
    }

    /** Ensures the pair exists in {@code <data>/tls} and copies it to {@code <james>/conf/tls}. */
    static void install(NodeLayout layout, String hostname) throws IOException {
        Path source = Files.createDirectories(layout.data().resolve("tls"));
        if (!Files.exists(source.resolve(KEY_FILE)) || !Files.exists(source.resolve(CERTIFICATE_FILE))) {
            generateSelfSigned(source, hostname);
        }
        Path target = Files.createDirectories(layout.jamesConf().resolve("tls"));
        Files.copy(source.resolve(CERTIFICATE_FILE), target.resolve(CERTIFICATE_FILE), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(source.resolve(KEY_FILE), target.resolve(KEY_FILE), StandardCopyOption.REPLACE_EXISTING);
        ownerOnly(target.resolve(KEY_FILE));
    }

    private static void generateSelfSigned(Path directory, String hostname) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072, new SecureRandom());
            KeyPair keyPair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + hostname);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                new BigInteger(128, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(825))), name, keyPair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
            Path key = directory.resolve(KEY_FILE);
            Files.writeString(key, CertificateIssuer.pem(new JcaPKCS8Generator(keyPair.getPrivate(), null)));
            ownerOnly(key);
            Files.writeString(directory.resolve(CERTIFICATE_FILE), CertificateIssuer.pem(certificate));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create the SMTP TLS certificate", e);
        }
    }


    private static void ownerOnly(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
