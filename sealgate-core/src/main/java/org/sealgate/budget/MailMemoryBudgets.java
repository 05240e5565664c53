package org.sealgate.budget;

import java.time.Duration;

/** Factories for {@link MailMemoryBudget}. */
public final class MailMemoryBudgets {
    /** Default share of the maximum heap whole-message work may hold ({@code memory.mail-budget-percent}). */
    public static final int DEFAULT_PERCENT = 40;
    /**
     * Default heap bytes per message byte while a step works on it ({@code memory.mail-weight}): measured on the
     * max-size burst, S/MIME encryption keeps about six copies of the mail (its serialisation, the inner entity,
     * the DER envelope, 1.37 × for base64, the new message) and decryption about as many.
     */
    public static final int DEFAULT_WEIGHT = 6;
    /** Default longest wait for a reservation ({@code memory.mail-wait-seconds}). */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(10);

    private MailMemoryBudgets() {
    }

    /**
     * A budget of {@code percent} % of this JVM's maximum heap ({@link Runtime#maxMemory()}), each mail weighing
     * {@code weight} × its size.
     */
    public static MailMemoryBudget ofHeap(int percent, int weight, Duration maxWait) {
        if (percent < 1 || percent > 90) {
            throw new IllegalArgumentException("memory.mail-budget-percent must be 1-90, got " + percent);
        }
        return of(Runtime.getRuntime().maxMemory() / 100 * percent, weight, maxWait);
    }

    /** A budget of {@code capacityBytes}, each mail weighing {@code weight} × its size. */
    public static MailMemoryBudget of(long capacityBytes, int weight, Duration maxWait) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("the mail memory budget must be positive, got " + capacityBytes);
        }
        if (weight < 1) {
            throw new IllegalArgumentException("memory.mail-weight must be at least 1, got " + weight);
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("memory.mail-wait-seconds must be at least 1, got " + maxWait);
        }
        return new MailMemoryBudgetImpl(capacityBytes, weight, maxWait);
    }

    /** No limit: every reservation is granted at once (tests and tools that run one mail at a time). */
    public static MailMemoryBudget unlimited() {
        return new MailMemoryBudgetImpl(Long.MAX_VALUE, 1, Duration.ofDays(1));
    }
}
