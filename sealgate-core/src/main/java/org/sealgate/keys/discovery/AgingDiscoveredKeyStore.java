package org.sealgate.keys.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sealgate.keys.Addresses;

/**
 * The discovered keys as the recipient selection sees them: a key found longer ago than the positive TTL is hidden,
 * so the selection finds no usable key and the policy engine asks the sources again (within the mail's bound) before
 * the key is used; a revocation or expiry published since is learned that way. When that look-up gets no answer
 * (timeout, source down, nothing published), {@link #keepUsingStale} shows the stale key again for {@code retryAfter},
 * until it is older than {@code maxAge}; past that it is never shown (the job leader deletes it). Listing
 * ({@link #all()}) and writes go to the underlying store unchanged.
 */
public final class AgingDiscoveredKeyStore implements DiscoveredKeyStore {
    /** Addresses remembered with a failed refresh; the oldest is forgotten first (it is then merely asked again). */
    private static final int MAX_REMEMBERED = 10_000;

    private final DiscoveredKeyStore stored;
    private final Duration positiveTtl;
    private final Duration maxAge;
    private final Duration retryAfter;
    private final Clock clock;
    private final Map<String, Instant> failedRefresh = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    /**
     * @param positiveTtl how long a found key is used without asking its source again
     * @param maxAge      how long a key whose source does not answer stays usable at all
     * @param retryAfter  after a failed refresh, how long the stale key is used before asking again
     */
    public AgingDiscoveredKeyStore(DiscoveredKeyStore stored, Duration positiveTtl, Duration maxAge, Duration retryAfter,
                                   Clock clock) {
        if (maxAge.compareTo(positiveTtl) < 0) {
            throw new IllegalArgumentException("the maximum age of a discovered key (" + maxAge
                + ") must not be shorter than its positive TTL (" + positiveTtl + ")");
        }
        this.stored = stored;
        this.positiveTtl = positiveTtl;
        this.maxAge = maxAge;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    /** Fresh keys; stale ones only while a failed refresh lets them be used. */
    @Override
    public List<DiscoveredKey> keysFor(String address) {
        Instant now = clock.instant();
        boolean graced = graced(Addresses.normalise(address), now);
        return stored.keysFor(address).stream()
            .filter(key -> fresh(key, now) || graced && !tooOld(key, now))
            .toList();
    }

    /**
     * The stored keys of the address older than the positive TTL but not past the maximum age: those a failed
     * refresh would keep usable.
     */
    public List<DiscoveredKey> staleKeysFor(String address) {
        Instant now = clock.instant();
        return stored.keysFor(address).stream().filter(key -> !fresh(key, now) && !tooOld(key, now)).toList();
    }

    /** Every stored key of the address, whatever its age. */
    public List<DiscoveredKey> storedKeysFor(String address) {
        return stored.keysFor(address);
    }

    /**
     * Its stale keys are used for {@code retryAfter} (never past the maximum age): the sources gave no answer for the
     * address, or the answer came from the look-up cache (it carries the time the key was first found).
     */
    public synchronized void keepUsingStale(String address) {
        String key = Addresses.normalise(address);
        failedRefresh.remove(key);
        failedRefresh.put(key, clock.instant());
    }

    /** When a stale key stops being usable at all. */
    public Instant usableUntil(DiscoveredKey key) {
        return key.foundAt().plus(maxAge);
    }

    @Override
    public void store(DiscoveredKey key) {
        stored.store(key);
    }

    @Override
    public List<DiscoveredKey> all() {
        return stored.all();
    }

    @Override
    public int remove(String address) {
        synchronized (this) {
            failedRefresh.remove(Addresses.normalise(address));
        }
        return stored.remove(address);
    }

    @Override
    public int removeFoundBefore(Instant cutoff) {
        return stored.removeFoundBefore(cutoff);
    }

    /** Deletes every stored key past the maximum age (the job leader's eviction). */
    public int evictTooOld() {
        return stored.removeFoundBefore(clock.instant().minus(maxAge));
    }

    private synchronized boolean graced(String address, Instant now) {
        Instant failed = failedRefresh.get(address);
        return failed != null && now.isBefore(failed.plus(retryAfter));
    }

    private boolean fresh(DiscoveredKey key, Instant now) {
        return now.isBefore(key.foundAt().plus(positiveTtl));
    }

    private boolean tooOld(DiscoveredKey key, Instant now) {
        return !now.isBefore(key.foundAt().plus(maxAge));
    }
}
