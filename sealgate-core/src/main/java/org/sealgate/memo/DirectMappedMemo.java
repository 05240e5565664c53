package org.sealgate.memo;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Remembers the value last computed for each of a fixed number of slots, chosen by the key's hash: for values that
 * depend on the key alone and are asked for again and again (a certificate's facts, a decoded attribute text).
 * Direct-mapped and fixed in size, so it never grows and needs no lock: a slot holds the last key hashed to it, a
 * collision only costs computing again, and a key is only ever answered with the value computed for an equal key.
 * Entries are immutable and live in an atomic array: a reader sees a whole entry or none. Two threads missing the
 * same key at once both compute it; the values must therefore be equal, and safe to share once made.
 *
 * @param <K> key with {@code equals}/{@code hashCode} that say "same input" (a certificate: its encoding)
 * @param <V> immutable value
 */
public final class DirectMappedMemo<K, V> {
    private final AtomicReferenceArray<Entry<K, V>> entries;
    private final int mask;

    private record Entry<K, V>(K key, V value) {
    }

    /** @param slots a power of two */
    public DirectMappedMemo(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, got " + slots);
        }
        this.entries = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    /** The value remembered for an equal key, else {@code compute}'s (remembered in place of the slot's last). */
    public V get(K key, Function<? super K, ? extends V> compute) {
        int hash = key.hashCode();
        int slot = (hash ^ (hash >>> 16)) & mask;
        Entry<K, V> entry = entries.get(slot);
        if (entry != null && entry.key().equals(key)) {
            return entry.value();
        }
        V value = Objects.requireNonNull(compute.apply(key), "computed value");
        entries.set(slot, new Entry<>(key, value));
        return value;
    }

    public int slots() {
        return mask + 1;
    }
}
