package org.sealgate.pgp;

import java.util.List;
import java.util.Objects;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;

/**
 * A partner's OpenPGP certificate (public key) and where it came from.
 *
 * @param certificate the certificate with all its subkeys and signatures
 * @param source      IMPORTED by the admin (trusted) or HARVESTED from a signed mail (valid signatures by it
 *                    are reported as untrusted)
 */
public record PgpPublicKey(OpenPGPCertificate certificate, Source source) {

    public enum Source { IMPORTED, HARVESTED }

    public PgpPublicKey {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(source, "source");
    }

    public boolean trusted() {
        return source == Source.IMPORTED;
    }

    public String fingerprint() {
        return PgpKeys.fingerprint(certificate);
    }

    public List<String> addresses() {
        return PgpKeys.addresses(certificate);
    }
}
