package org.sealgate.keys.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;

/**
 * A validated key found for an address, with where and when it was found (shown by {@code keys list}, kept in the
 * audit event). Exactly one of {@code certificate} and {@code pgpCertificate} is set.
 */
public record DiscoveredKey(Kind kind, String address, String source, Instant foundAt,
                            X509Certificate certificate, OpenPGPCertificate pgpCertificate) {

    /** The two key worlds a source may answer in. */
    public enum Kind { SMIME, OPENPGP }

    public DiscoveredKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(foundAt, "foundAt");
        if ((kind == Kind.SMIME) != (certificate != null) || (kind == Kind.OPENPGP) != (pgpCertificate != null)) {
            throw new IllegalArgumentException("a discovered " + kind + " key needs exactly its own certificate");
        }
    }

    public static DiscoveredKey smime(String address, String source, Instant foundAt, X509Certificate certificate) {
        return new DiscoveredKey(Kind.SMIME, address, source, foundAt, certificate, null);
    }

    public static DiscoveredKey openPgp(String address, String source, Instant foundAt, OpenPGPCertificate certificate) {
        return new DiscoveredKey(Kind.OPENPGP, address, source, foundAt, null, certificate);
    }

    /** The key's own encoding: the certificate's DER, or the OpenPGP certificate's binary packets. */
    public byte[] encoded() {
        try {
            return kind == Kind.SMIME ? certificate.getEncoded() : pgpCertificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the discovered certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the discovered OpenPGP key", e);
        }
    }
}
