package org.sealgate.gina.throttle;

import java.time.Instant;
import java.util.Optional;

import org.sealgate.gina.account.AccountStoreException;

/**
 * Failure counters by key, written compare-and-set like the accounts: {@link #write} names the version it read
 * ({@code -1}: the counter must not exist yet) and returns false when another node wrote in between.
 */
public interface CounterStore {

    /** A counter with the version it was read at. */
    record Versioned(Counter counter, int version) {
    }

    /** @param failures consecutive failures; {@code until}: nothing is tried before then; {@code updated}: last write */
    record Counter(int failures, Optional<Instant> until, Instant updated) {
    }

    Optional<Versioned> read(String key) throws AccountStoreException;

    boolean write(String key, int expectedVersion, Counter counter) throws AccountStoreException;

    void delete(String key) throws AccountStoreException;

    /** Deletes every counter last written before {@code cutoff}; returns how many. */
    int deleteWrittenBefore(java.time.Instant cutoff) throws AccountStoreException;
}
