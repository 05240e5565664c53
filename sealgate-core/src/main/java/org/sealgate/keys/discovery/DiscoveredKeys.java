package org.sealgate.keys.discovery;

import java.io.IOException;
import java.util.Date;
import java.util.Locale;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sealgate.keys.Fingerprints;
import org.sealgate.pgp.PgpKeys;

/**
 * What every {@link DiscoveredKeyStore} agrees on: a discovered key is identified by its kind and fingerprint, never
 * by its bytes, so a newer copy of the same key replaces the older one; OpenPGP copies are merged, so a revocation
 * signature once stored is never lost to a copy without it (a source, or an attacker, replaying the older copy gains
 * nothing).
 */
public final class DiscoveredKeys {

    private DiscoveredKeys() {
    }

    /** {@code smime-<sha256 of the DER>} or {@code openpgp-<fingerprint>}, lower-case hex. */
    public static String identity(DiscoveredKey key) {
        String fingerprint = key.kind() == DiscoveredKey.Kind.SMIME ? Fingerprints.sha256(key.certificate())
            : PgpKeys.fingerprint(key.pgpCertificate());
        return key.kind().name().toLowerCase(Locale.ROOT) + "-" + fingerprint.toLowerCase(Locale.ROOT);
    }

    /**
     * The same key seen twice: the later find gives source and time; an OpenPGP certificate keeps every signature of
     * both copies (a revocation stays), an S/MIME certificate is the same bytes anyway.
     */
    public static DiscoveredKey merge(DiscoveredKey stored, DiscoveredKey found) {
        if (!identity(stored).equals(identity(found))) {
            throw new IllegalArgumentException("not the same key: " + identity(stored) + ", " + identity(found));
        }
        DiscoveredKey later = found.foundAt().isBefore(stored.foundAt()) ? stored : found;
        if (later.kind() == DiscoveredKey.Kind.SMIME) {
            return later;
        }
        try {
            OpenPGPCertificate joined = OpenPGPCertificate.join(stored.pgpCertificate(), found.pgpCertificate());
            return DiscoveredKey.openPgp(later.address(), later.source(), later.foundAt(),
                PgpKeys.read(joined.getEncoded()));
        } catch (PGPException | IOException | RuntimeException e) {
            // Cannot merge: keep a revoked copy over one that is not (never lose a revocation).
            Date now = new Date();
            boolean storedRevoked = PgpKeys.isRevoked(stored.pgpCertificate(), now);
            boolean foundRevoked = PgpKeys.isRevoked(found.pgpCertificate(), now);
            return storedRevoked == foundRevoked ? later : storedRevoked ? stored : found;
        }
    }
}
