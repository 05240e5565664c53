package org.sealgate.zk.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyImports;
import org.sealgate.keys.ScopedAnchor;

/**
 * Certificates and CRLs as znodes: PEM, named by the SHA-256 of their DER encoding. A reader checks the name, so
 * an entry cannot pose as another one (e.g. a harvested certificate written under an imported one's name).
 */
final class KeyEntries {

    private KeyEntries() {
    }

    static X509Certificate certificateNamed(String name, byte[] data) {
        List<X509Certificate> read = KeyImports.readCertificates(data);
        if (read.size() != 1) {
            throw new IllegalArgumentException("expected one certificate, found " + read.size());
        }
        if (!Fingerprints.sha256(read.get(0)).equals(name)) {
            throw new IllegalArgumentException("the name is not the certificate's SHA-256 fingerprint");
        }
        return read.get(0);
    }

    /** A trust anchor with its scope line ({@link ScopedAnchor}), named by the certificate's SHA-256. */
    static ScopedAnchor anchorNamed(String name, byte[] data) {
        ScopedAnchor anchor = ScopedAnchor.read(data);
        if (!Fingerprints.sha256(anchor.certificate()).equals(name)) {
            throw new IllegalArgumentException("the name is not the certificate's SHA-256 fingerprint");
        }
        return anchor;
    }

    static X509CRL crlNamed(String name, byte[] data) {
        List<X509CRL> read = KeyImports.readCrls(data);
        if (read.size() != 1 || !crlName(read.get(0)).equals(name)) {
            throw new IllegalArgumentException("expected one CRL named by its SHA-256");
        }
        return read.get(0);
    }

    static byte[] pem(X509Certificate certificate) {
        return KeyImports.toPem(certificate).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] encoded(X509CRL crl) {
        try {
            return crl.getEncoded();
        } catch (CRLException e) {
            throw new IllegalArgumentException("cannot encode CRL", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static String crlName(X509CRL crl) {
        return sha256(encoded(crl));
    }
}
