package org.sealgate.pgp;

import java.util.List;
import java.util.Objects;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;

/**
 * A partner's OpenPGP certificate (public key) and where it came from.
 *
 * @param certificate the certificate with all its subkeys and signatures
 * @param source      IMPORTED by the admin (trusted), HARVESTED from a signed mail (valid signatures by it
 *                    are reported as untrusted), or DISCOVERED at an outside source (WKD, key server, LDAP;
 *                    used only to encrypt to, when no imported or harvested key is usable)
 */
public record PgpPublicKey(OpenPGPCertificate certificate, Source source) {

    public enum Source { IMPORTED, HARVESTED, DISCOVERED }

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
