package org.sealgate.keys;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reading and writing key material in the formats administrators bring: PEM or DER certificates and CRLs, and
 * PKCS#12 files with a private key. Everything is parsed into the JDK's own classes so that certificates from
 * different sources compare equal.
 */
public final class KeyImports {
    /** The JDK's PKCS#12 uses PBKDF2 with AES-256 and an HMAC-SHA256 MAC on Java 17; another provider may not. */
    private static final String PKCS12_PROVIDER = "SUN";
    private static final Set<String> CERTIFICATE_PEM_TYPES = Set.of("CERTIFICATE", "X509 CERTIFICATE");
    private static final String CRL_PEM_TYPE = "X509 CRL";
    private static final byte[] PEM_MARKER = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);

    private KeyImports() {
    }

    /** Every certificate in a PEM file (one or several blocks) or a DER file (single certificate or PKCS#7). */
    public static List<X509Certificate> readCertificates(byte[] pemOrDer) {
        List<X509Certificate> certificates = new ArrayList<>();
        if (isPem(pemOrDer)) {
            for (PemObject block : readPemBlocks(pemOrDer)) {
                if (CERTIFICATE_PEM_TYPES.contains(block.getType())) {
                    certificates.add(toCertificate(block.getContent()));
                }
            }
        } else {
            try {
                for (Certificate certificate : certificateFactory().generateCertificates(new ByteArrayInputStream(pemOrDer))) {
                    certificates.add((X509Certificate) certificate);
                }
            } catch (CertificateException e) {
                throw new IllegalArgumentException("not a DER certificate: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate found");
        }
        return certificates;
    }

    /** Every CRL in a PEM or DER file. */
    public static List<X509CRL> readCrls(byte[] pemOrDer) {
        List<X509CRL> crls = new ArrayList<>();
        try {
            if (isPem(pemOrDer)) {
                for (PemObject block : readPemBlocks(pemOrDer)) {
                    if (CRL_PEM_TYPE.equals(block.getType())) {
                        crls.add((X509CRL) certificateFactory().generateCRL(new ByteArrayInputStream(block.getContent())));
                    }
                }
            } else {
                Collection<? extends CRL> parsed =
                        certificateFactory().generateCRLs(new ByteArrayInputStream(pemOrDer));
                parsed.forEach(crl -> crls.add((X509CRL) crl));
            }
        } catch (CRLException e) {
            throw new IllegalArgumentException("not a CRL: " + e.getMessage(), e);
        }
        if (crls.isEmpty()) {
            throw new IllegalArgumentException("no CRL found");
        }
        return crls;
    }

    /**
     * The key entries of a PKCS#12 file as managed identities; the address is the entry's alias when that is one
     * of the certificate's addresses, otherwise the certificate's first address.
     *
     * @throws IllegalArgumentException for a wrong password or a damaged file, a file without a private key, or a
     *                                  key whose certificate names no e-mail address
     */
    public static List<ManagedIdentity> readPkcs12(byte[] pkcs12, char[] password) {
        KeyStore store = loadPkcs12(pkcs12, password);
        List<ManagedIdentity> identities = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    identities.add(identityOf(store, alias, password));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the PKCS#12 file: " + e.getMessage(), e);
        }
        if (identities.isEmpty()) {
            throw new IllegalArgumentException("the PKCS#12 file contains no private key");
        }
        return identities;
    }

    /** One identity as a PKCS#12 file (AES-256/PBKDF2 on Java 17) whose entry alias is the identity's address. */
    public static byte[] writePkcs12(ManagedIdentity identity, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12", PKCS12_PROVIDER);
            store.load(null, null);
            store.setKeyEntry(identity.address(), identity.privateKey(), password,
                    identity.chain().toArray(new Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write PKCS#12 for " + identity.address(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toPem(X509Certificate certificate) {
        return CertificateIssuer.pem(certificate);
    }

    public static String toPem(X509CRL crl) {
        return CertificateIssuer.pem(crl);
    }

    private static ManagedIdentity identityOf(KeyStore store, String alias, char[] password) throws GeneralSecurityException {
        Key key = store.getKey(alias, password);
        if (!(key instanceof PrivateKey privateKey)) {
            throw new IllegalArgumentException("PKCS#12 entry '" + alias + "' holds no private key");
        }
        Certificate[] chain = store.getCertificateChain(alias);
        if (chain == null || chain.length == 0) {
            throw new IllegalArgumentException("PKCS#12 entry '" + alias + "' has no certificate");
        }
        List<X509Certificate> x509Chain = new ArrayList<>();
        for (Certificate certificate : chain) {
            x509Chain.add((X509Certificate) certificate);
        }
        Set<String> addresses = CertificateAddresses.of(x509Chain.get(0));
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("the certificate of PKCS#12 entry '" + alias
                    + "' has no e-mail address (subject " + x509Chain.get(0).getSubjectX500Principal() + ")");
        }
        String address = addresses.contains(Addresses.normalise(alias))
                ? alias : addresses.iterator().next();
        return new ManagedIdentity(address, privateKey, x509Chain);
    }

    private static KeyStore loadPkcs12(byte[] pkcs12, char[] password) {
        try {
            // Reading uses the default provider order: files from other tools may use legacy algorithms.
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(pkcs12), password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#12 file or wrong password: " + e.getMessage(), e);
        }
    }

    private static boolean isPem(byte[] bytes) {
        outer:
        for (int i = 0; i <= bytes.length - PEM_MARKER.length; i++) {
            for (int j = 0; j < PEM_MARKER.length; j++) {
                if (bytes[i + j] != PEM_MARKER[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Every PEM block of any type, so that keys or other blocks in a bundle are skipped instead of failing it. */
    private static List<PemObject> readPemBlocks(byte[] pem) {
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            // PemReader reports bad Base64 as a runtime DecoderException.
            throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
        }
        return blocks;
    }

    private static X509Certificate toCertificate(byte[] der) {
        try {
            return (X509Certificate) certificateFactory().generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("malformed certificate: " + e.getMessage(), e);
        }
    }

    private static CertificateFactory certificateFactory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 support", e);
        }
    }
}
