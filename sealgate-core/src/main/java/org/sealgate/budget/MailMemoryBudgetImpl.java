package org.sealgate.budget;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A byte-weighted semaphore. Waiters are served in arrival order (a ticket each), so that a large mail is not
 * starved by a stream of small ones that would each fit in what is left; a mail heavier than the capacity is
 * weighed as the whole capacity, so it runs when nothing else does.
 */
final class MailMemoryBudgetImpl implements MailMemoryBudget {
    private final long capacity;
    private final int weight;
    private final Duration maxWait;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<Long> abandoned = new HashSet<>();
    private long reserved;
    private long nextTicket;
    private long serving;
    private int waiting;
    private long timedOut;

    MailMemoryBudgetImpl(long capacity, int weight, Duration maxWait) {
        this.capacity = capacity;
        this.weight = weight;
        this.maxWait = maxWait;
    }

    @Override
    public Optional<Reservation> reserve(long messageBytes) throws InterruptedException {
        long bytes = weigh(messageBytes);
        long deadline = System.nanoTime() + maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            long ticket = nextTicket++;
            // Counted while the lock is let go in awaitNanos only: a reservation granted at once is never seen waiting.
            waiting++;
            try {
                while (ticket != serving || reserved + bytes > capacity) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        timedOut++;
                        return Optional.empty();
                    }
                    changed.awaitNanos(left);
                }
                reserved += bytes;
                return Optional.of(new Held(bytes));
            } finally {
                // Granted, timed out or interrupted: this ticket's turn is over either way.
                waiting--;
                passed(ticket);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The turn of {@code ticket} is over. A waiter that gave up before its turn leaves its ticket to be skipped when
     * the tickets before it have passed.
     */
    private void passed(long ticket) {
        abandoned.add(ticket);
        while (abandoned.remove(serving)) {
            serving++;
        }
    }

    private long weigh(long messageBytes) {
        long size = Math.max(0, messageBytes);
        long bytes = size > capacity / weight ? capacity : size * weight;
        return Math.min(bytes, capacity);
    }

    private void release(long bytes) {
        lock.lock();
        try {
            reserved -= bytes;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long capacityBytes() {
        return capacity;
    }

    @Override
    public long reservedBytes() {
        lock.lock();
        try {
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int waitingMails() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long timedOut() {
        lock.lock();
        try {
            return timedOut;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Duration maxWait() {
        return maxWait;
    }

    private final class Held implements Reservation {
        private final long bytes;
        private final AtomicBoolean open = new AtomicBoolean(true);

        Held(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release(bytes);
            }
        }
    }

    @Override
    public String toString() {
        return "MailMemoryBudget[" + reservedBytes() / (1 << 20) + " of " + capacity / (1 << 20) + " MB, weight "
            + weight + "]";
    }
}
