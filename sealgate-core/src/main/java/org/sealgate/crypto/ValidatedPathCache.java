package org.sealgate.crypto;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Certification paths that were built and validated (PKIX, revocation off) for a signer, so the next message by the
 * same signer skips the path build, which was a fifth of a 100 KB verification.
 *
 * <p>What is remembered is only the path itself, keyed by the signer certificate and the whole anchor set (both
 * compared by their encoding): a changed anchor set is a different key, so a removed anchor is never vouched for
 * from here. Everything that can change without the key changing is checked again on every use by the caller:
 * every CRL against every certificate of the path, the validity period of every path certificate at the
 * verification time, the anchor's scope, and the live revocation status (which the mailet asks after the facade).
 * Only paths that validated are stored; a failure is never remembered. Entries are bounded in number (least
 * recently used go first) and age, so anything not modelled here still heals within {@code maxAge}.
 */
public final class ValidatedPathCache {
    /** Default bound: a few MB of certificates at most. */
    public static final int DEFAULT_MAX_ENTRIES = 2048;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

    /** The signer and the anchor set it was validated against. */
    private record Key(X509Certificate signer, Set<X509Certificate> anchors) {
    }

    private record Entry(List<X509Certificate> path, Instant storedAt) {
    }

    private final int maxEntries;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<Key, Entry> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    private ValidatedPathCache(int maxEntries, Duration maxAge, Clock clock) {
        this.maxEntries = maxEntries;
        this.maxAge = maxAge;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > ValidatedPathCache.this.maxEntries;
            }
        };
    }

    /** At most {@code maxEntries} paths, each used for at most {@code maxAge} after it was validated. */
    public static ValidatedPathCache bounded(int maxEntries, Duration maxAge, Clock clock) {
        if (maxEntries < 0 || maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("maxEntries must be >= 0 and maxAge >= 0");
        }
        return new ValidatedPathCache(maxEntries, maxAge, Objects.requireNonNull(clock, "clock"));
    }

    public static ValidatedPathCache defaults() {
        return bounded(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_AGE, Clock.systemUTC());
    }

    /** Remembers nothing: every verification builds its path. */
    public static ValidatedPathCache none() {
        return bounded(0, Duration.ZERO, Clock.systemUTC());
    }

    /** Verifications served from a remembered path (for metrics and tests). */
    public long hits() {
        return hits.sum();
    }

    /** Verifications that had to build their path. */
    public long misses() {
        return misses.sum();
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Forgets every path (an operator's "the trust store changed under me"; never needed for correctness). */
    public synchronized void clear() {
        entries.clear();
    }

    /**
     * The remembered path (signer first, anchor last) for this signer and exactly this anchor set, if it is fresh
     * and every certificate but the anchor is valid at {@code time}, as PKIX checked when it was built (PKIX does
     * not judge the anchor's own dates); otherwise the caller builds it again and PKIX says precisely why it fails.
     */
    Optional<List<X509Certificate>> lookup(X509Certificate signer, Collection<X509Certificate> anchors, Instant time) {
        if (maxEntries == 0) {
            misses.increment();
            return Optional.empty();
        }
        Key key = new Key(signer, Set.copyOf(anchors));
        Entry entry;
        synchronized (this) {
            entry = entries.get(key);
            if (entry != null && isStale(entry)) {
                entries.remove(key);
                entry = null;
            }
        }
        if (entry == null || !validAt(entry.path(), time)) {
            misses.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(entry.path());
    }

    /** Stores a path that has just validated; callers never pass a failed one. */
    void remember(X509Certificate signer, Collection<X509Certificate> anchors, List<X509Certificate> path) {
        if (maxEntries == 0) {
            return;
        }
        Key key = new Key(signer, Set.copyOf(anchors));
        Entry entry = new Entry(List.copyOf(path), clock.instant());
        synchronized (this) {
            entries.put(key, entry);
        }
    }

    private static boolean validAt(List<X509Certificate> path, Instant time) {
        for (X509Certificate element : path.subList(0, path.size() - 1)) {
            if (!CertificateFacts.isValidAt(element, time)) {
                return false;
            }
        }
        return true;
    }

    private boolean isStale(Entry entry) {
        Instant now = clock.instant();
        return now.isBefore(entry.storedAt()) || !now.isBefore(entry.storedAt().plus(maxAge));
    }
}
