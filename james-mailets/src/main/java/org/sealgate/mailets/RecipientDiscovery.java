package org.sealgate.mailets;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.sealgate.keys.Addresses;
import org.sealgate.keys.discovery.AgingDiscoveredKeyStore;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeys;
import org.sealgate.keys.discovery.DiscoveredKeyStore;
import org.sealgate.keys.discovery.DiscoveryResult;
import org.sealgate.keys.discovery.KeyDiscovery;
import org.sealgate.policy.PolicyProvider;

/**
 * The policy engine's way to outside key sources (mailets know no Camel: the node hands in a {@link KeyDiscovery}).
 * Asked only for a recipient whose policy lists sources ({@code key-discovery}) and who has no usable key; waits at
 * most {@code bound}, stores what was found (validated) in the {@link DiscoveredKeyStore} so the encryption
 * mailets and {@code keys list} see it, and returns a note for the audit event saying what each source did.
 * <p>
 * With an {@link AgingDiscoveredKeyStore} a stored key older than the positive TTL is hidden from the selection, so
 * the engine comes here again before using it: a revoked or expired copy the source now publishes is stored (merged
 * into the stored key, so every node stops using it); no answer keeps the stale key usable until its maximum age,
 * and the note says so.
 */
public class RecipientDiscovery {
    /** Less than this left of the mail's bound counts as used up (no source answers in it; clock truncation). */
    private static final Duration LEAST_USEFUL_WAIT = Duration.ofMillis(10);

    /** Discovery off: never asks anyone. */
    public static final RecipientDiscovery OFF =
        new RecipientDiscovery(KeyDiscovery.none(), DiscoveredKeyStore.NONE, null, Duration.ZERO);

    private final KeyDiscovery discovery;
    private final DiscoveredKeyStore store;
    private final PolicyProvider policy;
    private final Duration bound;
    private final Optional<AgingDiscoveredKeyStore> aging;

    /** @param store where found keys go; an {@link AgingDiscoveredKeyStore} makes stale keys be looked up again */
    public RecipientDiscovery(KeyDiscovery discovery, DiscoveredKeyStore store, PolicyProvider policy, Duration bound) {
        this.discovery = discovery;
        this.store = store;
        this.policy = policy;
        this.bound = bound;
        this.aging = store instanceof AgingDiscoveredKeyStore ages ? Optional.of(ages) : Optional.empty();
    }

    /** Whether the recipient's policy asks any outside source. */
    public boolean enabledFor(String address) {
        return policy != null && !policy.settingsFor(address).keyDiscovery().isEmpty();
    }

    /**
     * Looks the address up (the discovery's cache first) and keeps what was found.
     *
     * @return a note for the audit trail, e.g. {@code discovery: found OPENPGP key at hkp https://keys.example},
     *         {@code discovery: hkp: gave up after its timeout of 2000 ms; found SMIME key at ldap ldaps://...}, or
     *         {@code discovery: wkd: gave up after its timeout of 2000 ms; ldap: nothing published for ...};
     *         empty when the recipient's policy asks no source
     */
    public String discover(String recipient) {
        return discover(recipient, bound);
    }

    /** The longest one mail may wait for discovery, all its recipients together. */
    public Duration bound() {
        return bound;
    }

    /** As {@link #discover(String)}, within what is left of the mail's bound. */
    public String discover(String recipient, Duration within) {
        if (!enabledFor(recipient)) {
            return "";
        }
        String address = Addresses.normalise(recipient);
        if (within.compareTo(LEAST_USEFUL_WAIT) < 0) {
            return "discovery: not asked, the mail's bound of " + bound.toMillis() + " ms was used up by other recipients"
                + keptStale(address);
        }
        DiscoveryResult result = discovery.discover(address, within.compareTo(bound) < 0 ? within : bound);
        String cached = result.fromCache() ? " (cached)" : "";
        String learned = learnUnusable(address, result.refused());
        if (!result.found()) {
            return "discovery" + cached + ": " + (result.reasons().isEmpty() ? "nothing found"
                : String.join("; ", result.reasons())) + (learned.isEmpty() ? keptStale(address) : learned);
        }
        List<DiscoveredKey> keys = result.keys();
        keys.forEach(store::store);
        if (result.fromCache()) {
            // A cached answer keeps the time the key was first found: at the TTL's edge it may already look stale.
            aging.ifPresent(ages -> ages.keepUsingStale(address));
        }
        // Sources asked before the one that answered still say what they did (a hung one cost time).
        return "discovery" + cached + ": " + result.reasons().stream().map(reason -> reason + "; ")
            .collect(Collectors.joining()) + "found " + keys.stream()
            .map(key -> key.kind() + " key at " + key.source()).collect(Collectors.joining(", ")) + learned;
    }

    /**
     * A source now publishes a stored key revoked or expired: the copy is stored (merged, so the revocation stays and
     * reaches every node) and the key is not used any more.
     */
    private String learnUnusable(String address, List<DiscoveredKey> refused) {
        if (refused.isEmpty()) {
            return "";
        }
        List<DiscoveredKey> stored = aging.map(a -> a.storedKeysFor(address)).orElseGet(() -> store.keysFor(address));
        List<String> identities = stored.stream().map(DiscoveredKeys::identity).toList();
        List<DiscoveredKey> learned = refused.stream().filter(key -> identities.contains(DiscoveredKeys.identity(key)))
            .toList();
        learned.forEach(store::store);
        return learned.isEmpty() ? "" : "; stored key " + learned.stream().map(DiscoveredKeys::identity)
            .collect(Collectors.joining(", ")) + " is now published revoked or expired: not used any more";
    }

    /** No answer for a key past its positive TTL: it stays usable until its maximum age, and the note says so. */
    private String keptStale(String address) {
        if (aging.isEmpty()) {
            return "";
        }
        List<DiscoveredKey> stale = aging.get().staleKeysFor(address);
        if (stale.isEmpty()) {
            return "";
        }
        aging.get().keepUsingStale(address);
        return "; no answer, so the stored key(s) " + stale.stream().map(key -> DiscoveredKeys.identity(key)
            + " found " + key.foundAt().truncatedTo(ChronoUnit.SECONDS) + " at " + key.source() + " stay usable until "
            + aging.get().usableUntil(key).truncatedTo(ChronoUnit.SECONDS)).collect(Collectors.joining(", "));
    }
}
