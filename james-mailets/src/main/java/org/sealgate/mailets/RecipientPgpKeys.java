package org.sealgate.mailets;

import java.time.Clock;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeyStore;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.policy.PolicyProvider;

/**
 * Picks the OpenPGP key to encrypt to for a recipient: among the usable ones (not revoked, not expired, with a
 * valid encryption subkey) an imported key before a harvested one, then the newest. When none is usable it says why.
 * A harvested key (one that arrived with mail: a signer's key, an Autocrypt header, an attached key) is a candidate
 * only when the recipient's policy has {@code use-harvested-keys = true}: anyone can sign a mail with a key naming
 * any address, so by default such a key never decides where mail goes. Only when no imported or harvested key is
 * usable are discovered keys ({@link DiscoveredKeyStore}) considered, checked again the same way.
 */
public class RecipientPgpKeys {
    private final PgpKeyDirectory keys;
    private final PolicyProvider policy;
    private final Clock clock;
    private final DiscoveredKeyStore discovered;

    public RecipientPgpKeys(PgpKeyDirectory keys, PolicyProvider policy) {
        this(keys, policy, Clock.systemUTC());
    }

    @Inject
    public RecipientPgpKeys(PgpKeyDirectory keys, PolicyProvider policy, DiscoveredKeyStore discovered) {
        this(keys, policy, Clock.systemUTC(), discovered);
    }

    public RecipientPgpKeys(PgpKeyDirectory keys, PolicyProvider policy, Clock clock) {
        this(keys, policy, clock, DiscoveredKeyStore.NONE);
    }

    public RecipientPgpKeys(PgpKeyDirectory keys, PolicyProvider policy, Clock clock, DiscoveredKeyStore discovered) {
        this.keys = keys;
        this.policy = policy;
        this.clock = clock;
        this.discovered = discovered;
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
        Selection own = selectKnown(address);
        if (own.usable()) {
            return own;
        }
        Date now = Date.from(clock.instant());
        String wanted = Addresses.normalise(address);
        List<DiscoveredKey> stored = discovered.keysFor(address).stream()
            .filter(key -> key.kind() == DiscoveredKey.Kind.OPENPGP).toList();
        List<PgpPublicKey> found = stored.stream()
            // The store is keyed by address (a shared store anyone with the node identity writes to); a valid user
            // ID of the key itself must still name it.
            .filter(key -> PgpKeys.addresses(key.pgpCertificate(), now).contains(wanted))
            .map(key -> new PgpPublicKey(key.pgpCertificate(), PgpPublicKey.Source.DISCOVERED))
            .toList();
        if (found.isEmpty()) {
            return stored.isEmpty() ? own : new Selection(Optional.empty(), own.reason() + "; discovered OpenPGP key "
                + PgpKeys.fingerprint(stored.get(0).pgpCertificate()) + " stored for " + wanted
                + " does not name it (ignored)");
        }
        Optional<PgpPublicKey> best = found.stream()
            .filter(key -> PgpKeys.whyNotUsableForEncryption(key.certificate(), now).isEmpty())
            .max(Comparator.comparing(key -> key.certificate().getPrimaryKey().getCreationTime()));
        return best.isPresent() ? new Selection(best, "") : new Selection(Optional.empty(), own.reason()
            + "; discovered OpenPGP key " + found.get(0).fingerprint() + " is not usable: "
            + PgpKeys.whyNotUsableForEncryption(found.get(0).certificate(), now));
    }

    private Selection selectKnown(String address) {
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
