package org.sealgate.keys;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;


import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;

/**
 * The one way mail changes the key stores: keys and certificates learnt from inbound mail are stored here, never
 * in place of another key, and every change (or refusal) is an audit event naming the address, the fingerprint
 * and where the key came from. Whether a harvested OpenPGP key may ever be encrypted to is the policy's
 * {@code use-harvested-keys} (see {@code RecipientPgpKeys}); this class only decides what is kept.
 */
public class KeyHarvester {
    /** Audit outcomes of key-store changes caused by mail. */
    public static final String STORED = "key-harvested";
    public static final String REFUSED = "key-harvest-refused";

    private final KeyDirectory certificates;
    private final PgpKeyDirectory pgpKeys;
    private final AuditPublisher audit;
    private final Clock clock;

    public KeyHarvester(KeyDirectory certificates, PgpKeyDirectory pgpKeys, AuditPublisher audit) {
        this(certificates, pgpKeys, audit, Clock.systemUTC());
    }

    public KeyHarvester(KeyDirectory certificates, PgpKeyDirectory pgpKeys, AuditPublisher audit, Clock clock) {
        this.certificates = certificates;
        this.pgpKeys = pgpKeys;
        this.audit = audit;
        this.clock = clock;
    }

    /** Where a harvested key came from, for the audit trail. */
    public record Origin(String messageId, String sender, String source) {
    }

    /**
     * Keeps an OpenPGP key that came with a mail (the signer's key from an Autocrypt header or an attached key) as
     * HARVESTED, unless a key with the same fingerprint is known already (nothing changes) or another key (imported,
     * harvested or managed) already names one of its addresses: then the new key is ignored and the refusal audited.
     *
     * @return true when the key was stored
     */
    public boolean harvest(OpenPGPCertificate certificate, Origin origin) {
        String fingerprint = PgpKeys.fingerprint(certificate);
        List<String> addresses = PgpKeys.addresses(certificate);
        if (addresses.isEmpty() || known(fingerprint, addresses)) {
            return false;
        }
        Set<String> conflicting = conflicts(pgpKeys, certificate);
        if (!conflicting.isEmpty()) {
            publish(addresses, "pgp:" + fingerprint, origin, REFUSED, "another key is already known for "
                + String.join(", ", addresses) + " (" + String.join(", ", conflicting) + "); a key that arrives with mail"
                + " never replaces one");
            return false;
        }
        pgpKeys.addPublicKey(certificate, PgpPublicKey.Source.HARVESTED);
        publish(addresses, "pgp:" + fingerprint, origin, STORED, "kept as harvested (untrusted) OpenPGP key");
        return true;
    }

    /**
     * Keeps the certificate of a fully valid S/MIME signer (it chains to a trust anchor allowed to vouch for its
     * addresses, so a CA, not the mail, vouches for it); audited when it is new.
     */
    public boolean harvest(X509Certificate certificate, Origin origin) {
        String fingerprint = Fingerprints.sha256(certificate);
        List<String> addresses = List.copyOf(CertificateAddresses.of(certificate));
        if (addresses.isEmpty() || addresses.stream().flatMap(a -> certificates.certificatesFor(a).stream())
                .anyMatch(known -> Fingerprints.sha256(known).equals(fingerprint))) {
            return false;
        }
        certificates.addCertificate(certificate);
        publish(addresses, fingerprint, origin, STORED, "kept S/MIME signer certificate issued by "
            + certificate.getIssuerX500Principal().getName());
        return true;
    }

    /**
     * Fingerprints of the other keys that name an address of the certificate: partner keys of any source and
     * managed keys. A harvested key must never sit beside them, because the newest key would win a look-up.
     */
    public static Set<String> conflicts(PgpKeyDirectory keys, OpenPGPCertificate certificate) {
        String fingerprint = PgpKeys.fingerprint(certificate);
        Set<String> others = new LinkedHashSet<>();
        for (String address : PgpKeys.addresses(certificate)) {
            keys.publicKeysFor(address).stream().map(PgpPublicKey::fingerprint)
                .filter(other -> !other.equals(fingerprint)).forEach(others::add);
            keys.managedKey(address).map(PgpManagedKey::fingerprint)
                .filter(other -> !other.equals(fingerprint)).ifPresent(others::add);
        }
        return others;
    }

    private boolean known(String fingerprint, List<String> addresses) {
        return addresses.stream().flatMap(a -> pgpKeys.publicKeysFor(a).stream())
            .anyMatch(key -> key.fingerprint().equals(fingerprint));
    }

    private void publish(List<String> addresses, String fingerprint, Origin origin, String outcome, String reason) {
        List<AuditEvent.RecipientOutcome> entries = new ArrayList<>();
        for (String address : addresses) {
            entries.add(new AuditEvent.RecipientOutcome(address, "key-store:" + origin.source(), fingerprint));
        }
        audit.publish(new AuditEvent(clock.instant(), origin.messageId(), "inbound", origin.sender(), entries, outcome,
            reason));
    }
}
