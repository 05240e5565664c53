package org.sealgate.keys.discovery;

import java.util.List;

/**
 * Keys found by discovery, kept apart from imported and harvested keys so that they never replace or shadow an
 * administrator's key: the recipient selection asks this store only when the key directory has no usable key.
 * Each key keeps its source and when it was found ({@code keys list} shows them). A stored key is only a
 * candidate: the selection re-validates it (address, expiry, revocation, scope) every time it is used.
 */
public interface DiscoveredKeyStore {

    /** A store that keeps nothing: discovery off. */
    DiscoveredKeyStore NONE = new DiscoveredKeyStore() {
        @Override
        public void store(DiscoveredKey key) {
        }

        @Override
        public List<DiscoveredKey> keysFor(String address) {
            return List.of();
        }

        @Override
        public List<DiscoveredKey> all() {
            return List.of();
        }

        @Override
        public int remove(String address) {
            return 0;
        }

        @Override
        public int removeFoundBefore(java.time.Instant cutoff) {
            return 0;
        }
    };

    /**
     * Keeps the key. The same key (kind and fingerprint) kept already is replaced by the later find (its source
     * and time); stores that can, merge OpenPGP copies so that a revocation once kept is never lost.
     */
    void store(DiscoveredKey key);

    /** The keys discovered for the address (normalised), any kind, newest first. */
    List<DiscoveredKey> keysFor(String address);

    /** Every discovered key, for listing. */
    List<DiscoveredKey> all();

    /** Forgets every discovered key of the address; returns how many went. */
    int remove(String address);

    /** Forgets every key found before the cutoff (past its maximum age); returns how many went. */
    int removeFoundBefore(java.time.Instant cutoff);
}
