package org.sealgate.mailets;

import java.time.Clock;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;

/**
 * Picks the OpenPGP key to encrypt to for a recipient: among the usable ones (not revoked, not expired, with a
 * valid encryption subkey) an imported key before a harvested one, then the newest. When none is usable it says why.
 */
public class RecipientPgpKeys {
    private final PgpKeyDirectory keys;
    private final Clock clock;

    @Inject
    public RecipientPgpKeys(PgpKeyDirectory keys) {
        this(keys, Clock.systemUTC());
    }

    public RecipientPgpKeys(PgpKeyDirectory keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** A usable key, or the reason none is usable. */
    public record Selection(Optional<PgpPublicKey> key, String reason) {
        public boolean usable() {
            return key.isPresent();
        }

        public OpenPGPCertificate certificate() {
            return key.orElseThrow().certificate();
        }
    }

    public Selection select(String address) {
        List<PgpPublicKey> candidates = keys.publicKeysFor(address);
        if (candidates.isEmpty()) {
            return new Selection(Optional.empty(), "no OpenPGP key known for " + address);
        }
        Date now = Date.from(clock.instant());
        Optional<PgpPublicKey> best = candidates.stream()
            .filter(key -> PgpKeys.whyNotUsableForEncryption(key.certificate(), now).isEmpty())
            .max(Comparator.comparing(PgpPublicKey::trusted)
                .thenComparing(key -> key.certificate().getPrimaryKey().getCreationTime()));
        if (best.isPresent()) {
            return new Selection(best, "");
        }
        return new Selection(Optional.empty(), "OpenPGP key " + candidates.get(0).fingerprint() + " for " + address
            + " is not usable: " + PgpKeys.whyNotUsableForEncryption(candidates.get(0).certificate(), now)
            + (candidates.size() > 1 ? " (and " + (candidates.size() - 1) + " more unusable)" : ""));
    }
}
