package org.sealgate.gina.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal's certificate and key: a PKCS#12 keystore and a file holding its password, both named in the
 * settings. {@link #load} requires both (production); with {@link #loadOrCreateDemo}, when neither exists, a self-signed demo certificate (EC P-256, one year, for the public host name,
 * localhost and 127.0.0.1) is generated and saved owner-only, and a warning says so.
 */
public final class PortalTls {
    private static final Logger LOGGER = LoggerFactory.getLogger(PortalTls.class);
    public static final String ALIAS = "gina";

    private PortalTls() {
    }

    public record Material(KeyStore keyStore, String password) {
        @Override
        public String toString() {
            return "TLS material (password hidden)";
        }
    }

    /** The configured certificate; refuses (with what is missing) when the keystore or its password file is absent. */
    public static Material load(Path keystore, Path passwordFile) throws IOException {
        if (!Files.isRegularFile(keystore) || !Files.isRegularFile(passwordFile)) {
            throw new IOException("no TLS certificate: the portal needs the PKCS#12 keystore " + keystore
                + " and its password file " + passwordFile + " (tls.keystore, tls.keystore.password-file); "
                + "only the demo generates a self-signed one (tls.demo-certificate=true)");
        }
        return read(keystore, passwordFile);
    }

    public static Material loadOrCreateDemo(Path keystore, Path passwordFile, String hostName) throws IOException {
        if (!Files.exists(keystore)) {
            if (Files.exists(passwordFile)) {
                throw new IOException(passwordFile + " exists but the keystore " + keystore + " does not");
            }
            LOGGER.warn("No TLS keystore at {}: generating a self-signed DEMO certificate for {} (replace it in production)",
                keystore, hostName);
            createDemo(keystore, passwordFile, hostName);
        }
        return read(keystore, passwordFile);
    }

    private static Material read(Path keystore, Path passwordFile) throws IOException {
        String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return new Material(store, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the TLS keystore " + keystore + " (wrong password file?)", e);
        }
    }

    static void createDemo(Path keystore, Path passwordFile, String hostName) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + hostName + ", O=Sealgate demo");
            Instant now = Instant.now();
            List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            if (!hostName.equals("localhost") && !hostName.equals("127.0.0.1")) {
                boolean ip = hostName.matches("[0-9.]+") || hostName.contains(":");
                names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, hostName));
            }
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(365))), subject, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, pair.getPrivate(), password.toCharArray(), new Certificate[] {certificate});
            Files.createDirectories(keystore.toAbsolutePath().getParent());
            writeOwnerOnly(passwordFile, password.getBytes(StandardCharsets.UTF_8));
            Files.createFile(keystore, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(keystore)) {
                store.store(out, password.toCharArray());
            }
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot generate the demo certificate", e);
        }
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, content);
    }

}
