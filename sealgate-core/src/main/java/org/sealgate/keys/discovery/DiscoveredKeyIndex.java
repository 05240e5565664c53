package org.sealgate.keys.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.sealgate.keys.Addresses;

/**
 * A store's discovered keys, newest first and by (normalised) address: built once when the store's content changed,
 * so each recipient's look-up is a map access. Immutable.
 */
public final class DiscoveredKeyIndex {
    public static final DiscoveredKeyIndex EMPTY = new DiscoveredKeyIndex(List.of(), Map.of());

    private final List<DiscoveredKey> newestFirst;
    private final Map<String, List<DiscoveredKey>> byAddress;

    private DiscoveredKeyIndex(List<DiscoveredKey> newestFirst, Map<String, List<DiscoveredKey>> byAddress) {
        this.newestFirst = newestFirst;
        this.byAddress = byAddress;
    }

    public static DiscoveredKeyIndex of(Collection<DiscoveredKey> keys) {
        List<DiscoveredKey> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparing(DiscoveredKey::foundAt).reversed());
        Map<String, List<DiscoveredKey>> byAddress = new HashMap<>();
        for (DiscoveredKey key : sorted) {
            byAddress.computeIfAbsent(Addresses.normalise(key.address()), ignored -> new ArrayList<>()).add(key);
        }
        byAddress.replaceAll((address, ofAddress) -> List.copyOf(ofAddress));
        return new DiscoveredKeyIndex(List.copyOf(sorted), Map.copyOf(byAddress));
    }

    /** Every key, newest first. */
    public List<DiscoveredKey> all() {
        return newestFirst;
    }

    /** The address's keys (any letter case), newest first. */
    public List<DiscoveredKey> keysFor(String address) {
        return byAddress.getOrDefault(Addresses.normalise(address), List.of());
    }
}
