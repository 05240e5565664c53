package org.sealgate.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The HTTPS identity of the portal or the admin console as a PKCS#12 key store with a random password in an
 * owner-only file (what their {@code tls.keystore} and {@code tls.keystore.password-file} settings name):
 * imported from a PEM certificate chain and PKCS#8 key, or self-signed for the host name (browsers warn: replace it
 * with a CA-issued certificate). An existing key store is kept unless a certificate is imported.
 */
final class PortalCertificate {
    static final String ALIAS = "gina";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PortalCertificate() {
    }

    /** @return whether a new self-signed certificate was made */
    static boolean selfSignedIfMissing(Path keystore, Path passwordFile, String hostName) throws IOException {
        if (Files.exists(keystore)) {
            return false;
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + hostName + ", O=Sealgate");
            Instant now = Instant.now();
            List<GeneralName> names = new ArrayList<>();
            boolean ip = hostName.matches("[0-9.]+") || hostName.contains(":");
            names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, hostName));
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, RANDOM),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(825))), subject, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            store(keystore, passwordFile, pair.getPrivate(), new Certificate[] {certificate});
            return true;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make a self-signed certificate for " + hostName, e);
        }
    }

    /** Replaces the key store with the given chain (leaf first) and key; the key must match the leaf. */
    static void importPem(Path chainFile, Path keyFile, Path keystore, Path passwordFile) throws IOException {
        List<Certificate> chain = new ArrayList<>();
        PrivateKey key;
        try (Reader reader = Files.newBufferedReader(chainFile, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object object = pem.readObject(); object != null && chain.size() < 10; object = pem.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(chainFile + ": not a PEM certificate chain", e);
        }
        try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
            Object object = pem.readObject();
            if (!(object instanceof PrivateKeyInfo info)) {
                throw new Arguments.UsageException(keyFile + " holds no PKCS#8 PEM PRIVATE KEY (openssl pkcs8 -topk8 -nocrypt)");
            }
            key = new JcaPEMKeyConverter().getPrivateKey(info);
        }
        if (chain.isEmpty()) {
            throw new Arguments.UsageException(chainFile + " holds no PEM CERTIFICATE");
        }
        try {
            store(keystore, passwordFile, key, chain.toArray(Certificate[]::new));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot store the certificate of " + chainFile + " with the key of " + keyFile
                + " (do they belong together?)", e);
        }
    }

    private static void store(Path keystore, Path passwordFile, PrivateKey key, Certificate[] chain)
        throws IOException, GeneralSecurityException {
        if (!chain[0].getPublicKey().equals(publicOf(key, chain[0]))) {
            throw new Arguments.UsageException("the private key does not belong to the certificate");
        }
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, key, password.toCharArray(), chain);
        SetupWriter.createDirectory(keystore.toAbsolutePath().getParent(), "rwx------");
        SetupWriter.writeAtomically(passwordFile, password, "rw-------");
        Path temporary = keystore.resolveSibling("." + keystore.getFileName() + ".setup");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(temporary)) {
            store.store(out, password.toCharArray());
        }
        Files.move(temporary, keystore, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The leaf's key when the private key signs what the leaf's key verifies; else null (a mismatch). */
    private static java.security.PublicKey publicOf(PrivateKey key, Certificate leaf) throws GeneralSecurityException {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA"
            : key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : key.getAlgorithm();
        java.security.Signature signer = java.security.Signature.getInstance(algorithm);
        signer.initSign(key);
        byte[] probe = "sealgate-key-match".getBytes(StandardCharsets.US_ASCII);
        signer.update(probe);
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
        verifier.initVerify(leaf.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature) ? leaf.getPublicKey() : null;
    }
}
