package org.sealgate.gina.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.ACL;
import org.sealgate.gina.account.AccountStoreException;
import org.sealgate.gina.account.LockoutPolicy;

/**
 * Backoff counters shared by every node through a {@link CounterStore}: each {@link #fail} counts one more
 * consecutive failure under a key and, past the policy's free failures, sets a doubling wait (up to its maximum)
 * before which {@link #blockedUntil} says no. A counter quiet for {@link #FORGET_AFTER} starts over. Never locks
 * anything for ever: which keys are counted (per address and client, per client, per recipient) is the caller's
 * design.
 */
public final class Throttle {
    /** Failures older than this are forgotten. */
    public static final Duration FORGET_AFTER = Duration.ofHours(24);
    /** ZooKeeper paths under the Curator namespace. */
    public static final String LOGIN_PATH = "/gina/throttle/login";
    public static final String RATE_PATH = "/gina/throttle/rate";
    private static final int ATTEMPTS = 8;

    private final CounterStore store;
    private final LockoutPolicy policy;
    private final Clock clock;

    public Throttle(CounterStore store, LockoutPolicy policy, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
    }

    public static Throttle inMemory(LockoutPolicy policy, Clock clock) {
        return new Throttle(new MemoryCounterStore(), policy, clock);
    }

    /** Counters under {@code basePath} in ZooKeeper (created with {@code acls}), shared by the cluster. */
    public static Throttle zooKeeper(CuratorFramework client, String basePath, List<ACL> acls, LockoutPolicy policy,
                                     Clock clock) {
        return new Throttle(new ZkCounterStore(client, basePath, acls), policy, clock);
    }

    /** The time before which nothing may be tried under {@code key}; empty when it may be tried now. */
    public Optional<Instant> blockedUntil(String key) throws AccountStoreException {
        Instant now = clock.instant();
        return store.read(key).map(CounterStore.Versioned::counter)
            .filter(c -> c.updated().plus(FORGET_AFTER).isAfter(now))
            .flatMap(CounterStore.Counter::until).filter(now::isBefore);
    }

    /** Counts a failure; returns the wait it imposes, if any. */
    public Optional<Instant> fail(String key) throws AccountStoreException {
        for (int i = 0; i < ATTEMPTS; i++) {
            Instant now = clock.instant();
            Optional<CounterStore.Versioned> current = store.read(key);
            int failures = current.map(CounterStore.Versioned::counter)
                .filter(c -> c.updated().plus(FORGET_AFTER).isAfter(now))
                .map(CounterStore.Counter::failures).orElse(0) + 1;
            Optional<Instant> until = policy.waitAfter(failures, now);
            if (store.write(key, current.map(CounterStore.Versioned::version).orElse(-1),
                new CounterStore.Counter(failures, until, now))) {
                return until;
            }
        }
        throw new AccountStoreException("the throttle counter keeps changing; try again");
    }

    /**
     * Counts one use under {@code key} and says whether it was allowed: at most one per {@code interval} (a
     * cluster-wide rate limit, e.g. for sender resets). Refused uses are not counted.
     */
    public boolean tryUse(String key, Duration interval) throws AccountStoreException {
        return tryUse(key, 1, interval);
    }

    /** At most {@code max} uses under {@code key} per window of {@code window} (fixed windows), cluster-wide. */
    public boolean tryUse(String key, int max, Duration window) throws AccountStoreException {
        for (int i = 0; i < ATTEMPTS; i++) {
            Instant now = clock.instant();
            Optional<CounterStore.Versioned> current = store.read(key);
            Optional<CounterStore.Counter> open = current.map(CounterStore.Versioned::counter)
                .filter(c -> c.until().map(now::isBefore).orElse(false));
            if (open.isPresent() && open.get().failures() >= max) {
                return false;
            }
            CounterStore.Counter next = open.map(c -> new CounterStore.Counter(c.failures() + 1, c.until(), now))
                .orElse(new CounterStore.Counter(1, Optional.of(now.plus(window)), now));
            if (store.write(key, current.map(CounterStore.Versioned::version).orElse(-1), next)) {
                return true;
            }
        }
        throw new AccountStoreException("the rate-limit counter keeps changing; try again");
    }

    /** Deletes counters quiet for longer than {@link #FORGET_AFTER} (they no longer count); returns how many. */
    public int sweep() throws AccountStoreException {
        return store.deleteWrittenBefore(clock.instant().minus(FORGET_AFTER));
    }

    /** A success clears the key's failures. */
    public void clear(String key) throws AccountStoreException {
        if (store.read(key).isPresent()) {
            store.delete(key);
        }
    }
}
