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
import org.sealgate.policy.PolicyProvider;

/**
 * Picks the OpenPGP key to encrypt to for a recipient: among the usable ones (not revoked, not expired, with a
 * valid encryption subkey) an imported key before a harvested one, then the newest. When none is usable it says why.
 * A harvested key (one that arrived with mail: a signer's key, an Autocrypt header, an attached key) is a candidate
 * only when the recipient's policy has {@code use-harvested-keys = true}: anyone can sign a mail with a key naming
 * any address, so by default such a key never decides where mail goes.
 */
public class RecipientPgpKeys {
    private final PgpKeyDirectory keys;
    private final PolicyProvider policy;
    private final Clock clock;

    @Inject
    public RecipientPgpKeys(PgpKeyDirectory keys, PolicyProvider policy) {
        this(keys, policy, Clock.systemUTC());
    }

    public RecipientPgpKeys(PgpKeyDirectory keys, PolicyProvider policy, Clock clock) {
        this.keys = keys;
        this.policy = policy;
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
        List<PgpPublicKey> known = keys.publicKeysFor(address);
        List<PgpPublicKey> candidates = policy.settingsFor(address).useHarvestedKeys()
            ? known : known.stream().filter(PgpPublicKey::trusted).toList();
        if (candidates.isEmpty()) {
            return new Selection(Optional.empty(), known.isEmpty() ? "no OpenPGP key known for " + address
                : "only OpenPGP keys that arrived with mail are known for " + address + " (" + known.get(0).fingerprint()
                + (known.size() > 1 ? " and " + (known.size() - 1) + " more" : "") + "); use-harvested-keys is off");
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
