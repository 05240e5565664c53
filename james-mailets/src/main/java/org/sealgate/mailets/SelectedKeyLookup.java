package org.sealgate.mailets;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import javax.inject.Inject;

import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeyStore;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;

/**
 * Fetches the key {@link ApplyPolicy} selected for a recipient by its fingerprint, among the keys held for that
 * very recipient (imported, harvested or discovered): a fingerprint alone never brings in a key of another address.
 * A key that is gone, a certificate no longer within its validity period, or an OpenPGP key no longer usable for
 * encryption (revoked, expired) is not found (the caller selects
 * again, and refuses the recipient if nothing is usable).
 */
public class SelectedKeyLookup {
    /** Finds nothing: every recipient is selected again (mailets built without the node's key stores). */
    public static final SelectedKeyLookup NONE = new SelectedKeyLookup(null, null, DiscoveredKeyStore.NONE, Clock.systemUTC());

    private final KeyDirectory keys;
    private final PgpKeyDirectory pgpKeys;
    private final DiscoveredKeyStore discovered;
    private final Clock clock;

    @Inject
    public SelectedKeyLookup(KeyDirectory keys, PgpKeyDirectory pgpKeys, DiscoveredKeyStore discovered) {
        this(keys, pgpKeys, discovered, Clock.systemUTC());
    }

    public SelectedKeyLookup(KeyDirectory keys, PgpKeyDirectory pgpKeys, DiscoveredKeyStore discovered, Clock clock) {
        this.keys = keys;
        this.pgpKeys = pgpKeys;
        this.discovered = discovered;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    Optional<X509Certificate> certificate(String address, String sha256) {
        if (keys == null) {
            return Optional.empty();
        }
        Optional<X509Certificate> found = keys.certificatesFor(address).stream()
            .filter(certificate -> Fingerprints.sha256(certificate).equalsIgnoreCase(sha256)).findFirst();
        if (found.isEmpty()) {
            found = discovered.keysFor(address).stream().filter(key -> key.kind() == DiscoveredKey.Kind.SMIME)
                .map(DiscoveredKey::certificate)
                .filter(certificate -> org.sealgate.keys.CertificateAddresses.matches(certificate, address))
                .filter(certificate -> Fingerprints.sha256(certificate).equalsIgnoreCase(sha256)).findFirst();
        }
        return found.filter(this::withinValidity);
    }

    Optional<PgpPublicKey> pgpKey(String address, String fingerprint) {
        if (pgpKeys == null) {
            return Optional.empty();
        }
        Optional<PgpPublicKey> found = pgpKeys.publicKeysFor(address).stream()
            .filter(key -> key.fingerprint().equalsIgnoreCase(fingerprint)).findFirst();
        if (found.isEmpty()) {
            found = discovered.keysFor(address).stream().filter(key -> key.kind() == DiscoveredKey.Kind.OPENPGP)
                .map(key -> new PgpPublicKey(key.pgpCertificate(), PgpPublicKey.Source.DISCOVERED))
                .filter(key -> key.fingerprint().equalsIgnoreCase(fingerprint)).findFirst();
        }
        // Revoked or expired since the policy chose it (a revocation imported under the same fingerprint): not found.
        return found.filter(key -> PgpKeys.whyNotUsableForEncryption(key.certificate(), Date.from(clock.instant())).isEmpty());
    }

    private boolean withinValidity(X509Certificate certificate) {
        try {
            certificate.checkValidity(Date.from(clock.instant()));
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }
}
