package org.sealgate.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the node's mail queues did with each mail, by queue and mail name: enqueued and due at, taken by a consumer
 * at, done. Independent of the broker, so it sees a mail the broker stored but never handed out. Bounded: an entry
 * goes when its mail is done, and the oldest entries go past {@code capacity} or {@code maxAge}.
 */
final class MailTracker {

    /** One mail in one queue, as last enqueued there. */
    record Entry(long seq, String queue, String name, Instant enqueuedAt, Instant dueAt, Instant dequeuedAt,
                 Instant remediedAt) {
        boolean taken() {
            return dequeuedAt != null;
        }
    }

    private final Clock clock;
    private final int capacity;
    private final Duration maxAge;
    // Insertion order = enqueue order: the eldest entries are trimmed first.
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private long sequence;

    MailTracker(Clock clock, int capacity, Duration maxAge) {
        this.clock = clock;
        this.capacity = capacity;
        this.maxAge = maxAge;
    }

    /** The mail was stored in {@code queue}, to be taken no earlier than {@code delay} from now. */
    synchronized void enqueued(String queue, String name, Duration delay) {
        Instant now = clock.instant();
        Instant due = delay.isNegative() ? now : now.plus(delay);
        String key = key(queue, name);
        entries.remove(key);
        entries.put(key, new Entry(++sequence, queue, name, now, due, null, null));
        trim(now);
    }

    /**
     * A consumer took the mail from {@code queue}.
     *
     * @return which enqueue it took (for {@link #done}), -1 when the mail was enqueued before tracking began
     */
    synchronized long dequeued(String queue, String name) {
        Entry e = entries.get(key(queue, name));
        if (e == null) {
            return -1;
        }
        entries.put(key(queue, name),
            new Entry(e.seq(), e.queue(), e.name(), e.enqueuedAt(), e.dueAt(), clock.instant(), e.remediedAt()));
        return e.seq();
    }

    /**
     * The consumer is done with the mail: on success it left the queue; on failure James rolls back, so it is due
     * again at once. A retry enqueues the mail again before its first item is done: {@code seq} tells the two
     * apart, and the done of an older enqueue leaves the newer one tracked.
     */
    synchronized void done(String queue, String name, long seq, boolean success) {
        String key = key(queue, name);
        Entry e = entries.get(key);
        if (e == null || e.seq() != seq) {
            return;
        }
        if (success) {
            entries.remove(key);
        } else {
            entries.put(key, new Entry(e.seq(), e.queue(), e.name(), e.enqueuedAt(), clock.instant(), null, null));
        }
    }

    /** {@code flush()}: every waiting mail of the queue is due now. */
    synchronized void flushed(String queue) {
        Instant now = clock.instant();
        entries.replaceAll((k, e) -> e.queue().equals(queue) && !e.taken() && e.dueAt().isAfter(now)
            ? new Entry(e.seq(), e.queue(), e.name(), e.enqueuedAt(), now, null, e.remediedAt()) : e);
    }

    /** The mail left the queue another way (removed by an administrator, moved by the sweeper's probe). */
    synchronized void forget(String queue, String name) {
        entries.remove(key(queue, name));
    }

    synchronized void forgetQueue(String queue) {
        entries.values().removeIf(e -> e.queue().equals(queue));
    }

    /** The sweeper sent a copy of the mail: give the copy a full period before suspecting it again. */
    synchronized void remedied(String queue, String name) {
        Instant now = clock.instant();
        entries.computeIfPresent(key(queue, name), (k, e) ->
            new Entry(e.seq(), e.queue(), e.name(), e.enqueuedAt(), now, null, now));
    }

    /** Mails due for longer than {@code stuckAfter} that no consumer took. */
    synchronized List<Entry> notTaken(Duration stuckAfter) {
        Instant limit = clock.instant().minus(stuckAfter);
        List<Entry> found = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!e.taken() && e.dueAt().isBefore(limit)) {
                found.add(e);
            }
        }
        return found;
    }

    /** Mails a consumer took longer than {@code heldAfter} ago and has not finished. */
    synchronized List<Entry> heldLong(Duration heldAfter) {
        Instant limit = clock.instant().minus(heldAfter);
        List<Entry> found = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.taken() && e.dequeuedAt().isBefore(limit)) {
                found.add(e);
            }
        }
        return found;
    }

    synchronized int size() {
        return entries.size();
    }

    /**
     * The mails not done, oldest first, at most {@code limit}, one line each: what a node logs at stop, the first
     * clue when one was stuck (taken by James and never finished, or never taken at all).
     */
    synchronized List<String> unfinished(int limit) {
        Instant now = clock.instant();
        List<String> lines = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (lines.size() == limit) {
                break;
            }
            lines.add(e.name() + " in " + e.queue() + ": enqueued " + seconds(e.enqueuedAt(), now) + " s ago, "
                + (e.taken() ? "taken by a consumer " + seconds(e.dequeuedAt(), now) + " s ago, not done"
                    : "due " + seconds(e.dueAt(), now) + " s ago, never taken")
                + (e.remediedAt() != null ? ", requeued by the stuck-mail sweeper" : ""));
        }
        return lines;
    }

    private static long seconds(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds();
    }

    synchronized Map<String, Entry> snapshot() {
        return Map.copyOf(entries);
    }

    private void trim(Instant now) {
        Instant oldest = now.minus(maxAge);
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (entries.size() > capacity || e.enqueuedAt().isBefore(oldest)) {
                it.remove();
            } else {
                break;
            }
        }
    }

    private static String key(String queue, String name) {
        return queue + '\n' + name;
    }
}
