package org.sealgate.gina.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Backoff after repeated failures: the first {@code freeFailures} cost nothing, each further one doubles a wait
 * (from {@code firstWait} up to {@code maxWait}) during which no password is even tried; at
 * {@code lockAfter} failures the account is {@link AccountState#LOCKED} until a reset.
 */
public record LockoutPolicy(int freeFailures, Duration firstWait, Duration maxWait, int lockAfter) {
    public static final LockoutPolicy DEFAULT = new LockoutPolicy(5, Duration.ofSeconds(30), Duration.ofHours(1), 20);

    public LockoutPolicy {
        if (freeFailures < 1 || lockAfter <= freeFailures || firstWait.isNegative() || maxWait.compareTo(firstWait) < 0) {
            throw new IllegalArgumentException("inconsistent lockout policy");
        }
    }

    /** The wait imposed after the {@code failures}-th consecutive failure, if any. */
    public Optional<Instant> waitAfter(int failures, Instant now) {
        if (failures < freeFailures) {
            return Optional.empty();
        }
        int doublings = Math.min(failures - freeFailures, 30);
        Duration wait = firstWait.multipliedBy(1L << doublings);
        return Optional.of(now.plus(wait.compareTo(maxWait) > 0 ? maxWait : wait));
    }

    public boolean locksAccount(int failures) {
        return failures >= lockAfter;
    }
}
