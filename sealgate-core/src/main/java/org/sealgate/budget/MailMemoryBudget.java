package org.sealgate.budget;

import java.time.Duration;
import java.util.Optional;

/**
 * The node-wide share of the heap that whole-message work may hold at once (S/MIME and OpenPGP encryption,
 * decryption, signing, verification, GINA sealing each keep several copies of the mail in memory). A step reserves
 * the weight of its mail before it starts and releases it when done, so that a burst of large mails waits its turn
 * instead of ending the node in an OutOfMemoryError. A mail heavier than the whole budget still goes through, alone.
 * Waiting is bounded: a reservation that cannot be had in time is refused and the caller decides the mail's fate
 * (held, never lost). Create with {@link MailMemoryBudgets}.
 */
public interface MailMemoryBudget {

    /**
     * Reserves the weight of a mail of {@code messageBytes}, waiting at most {@link #maxWait()}.
     *
     * @return the reservation (close it when the work is done), or empty when the wait timed out
     * @throws InterruptedException when the waiting thread is interrupted (nothing is reserved)
     */
    Optional<Reservation> reserve(long messageBytes) throws InterruptedException;

    /** The heap bytes reservations may hold together. */
    long capacityBytes();

    /** The heap bytes reserved now. */
    long reservedBytes();

    /** Mails waiting for room now (their step has not started). */
    int waitingMails();

    /** Reservations refused so far because the wait ran out (each such mail was held by its caller). */
    long timedOut();

    /** How long {@link #reserve} waits at most. */
    Duration maxWait();

    /** Reserved heap; {@link #close()} gives it back (idempotent). */
    interface Reservation extends AutoCloseable {
        /** The weight reserved. */
        long bytes();

        @Override
        void close();
    }
}
