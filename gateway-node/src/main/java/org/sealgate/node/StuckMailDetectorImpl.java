package org.sealgate.node;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class StuckMailDetectorImpl implements StuckMailDetector {
    private static final Logger LOGGER = LoggerFactory.getLogger(StuckMailDetector.class);

    private enum Phase { LATENT, STARTED, CLOSED }

    private final MailTracker tracker;
    private final BrokerQueueInspector inspector;
    private final Clock clock;
    private final StuckMailDetectors.Timings timings;
    private final Consumer<Report> found;
    private final Map<String, Long> counts = new TreeMap<>();
    // What each tracked enqueue (by sequence) was last reported as: one alarm per state, not one per sweep.
    private final Map<Long, String> reported = new HashMap<>();
    private Phase phase = Phase.LATENT;
    private ScheduledExecutorService sweeper;

    StuckMailDetectorImpl(MailTracker tracker, BrokerQueueInspector inspector, Clock clock,
                          StuckMailDetectors.Timings timings, Consumer<Report> found) {
        this.tracker = tracker;
        this.inspector = inspector;
        this.clock = clock;
        this.timings = timings;
        this.found = found;
    }

    @Override
    public synchronized void start() {
        if (phase != Phase.LATENT) {
            throw new IllegalStateException("stuck-mail detector already started or closed");
        }
        phase = Phase.STARTED;
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sealgate-stuck-mail");
            t.setDaemon(true);
            return t;
        });
        long period = timings.sweepPeriod().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepLogged, period, period, TimeUnit.MILLISECONDS);
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // Keep sweeping: one failed probe must not end detection for the node's lifetime.
            LOGGER.warn("stuck-mail sweep failed: {}", e.toString());
        }
    }

    @Override
    public synchronized List<Report> sweep() {
        if (phase == Phase.CLOSED) {
            return List.of();
        }
        List<Report> reports = new ArrayList<>();
        for (MailTracker.Entry e : tracker.notTaken(timings.stuckAfter())) {
            Report r = probe(e);
            if (r != null) {
                reports.add(r);
            }
        }
        for (MailTracker.Entry e : tracker.heldLong(timings.heldAfter())) {
            if (firstTime(e, "held")) {
                reports.add(report(new Report(e.queue(), e.name(), StuckMailState.A, "held",
                    "taken by James at " + e.dequeuedAt() + " and not finished")));
            }
        }
        Set<Long> live = tracker.snapshot().values().stream().map(MailTracker.Entry::seq).collect(Collectors.toSet());
        reported.keySet().retainAll(live);
        return reports;
    }

    private Report probe(MailTracker.Entry e) {
        BrokerQueueInspector.Finding finding;
        try {
            finding = inspector.classify(e.queue(), e.name());
        } catch (Exception ex) {
            LOGGER.warn("stuck-mail probe of {} in {} failed: {}", e.name(), e.queue(), ex.toString());
            return null;
        }
        String overdue = "due since " + e.dueAt() + ", " + finding.detail();
        switch (finding.state()) {
            case GONE -> {
                // Left the queue without passing our wrapper (taken by a raw consumer, removed, dead-lettered).
                tracker.forget(e.queue(), e.name());
                long dlq = deadLetters();
                if (dlq > 0) {
                    return report(new Report(e.queue(), e.name(), StuckMailState.GONE, "alarmed",
                        "not in the queue any more; " + dlq + " message(s) in " + BrokerQueueInspector.DEAD_LETTERS));
                }
                LOGGER.info("tracked mail {} left {} unseen ({})", e.name(), e.queue(), overdue);
                return null;
            }
            case A -> {
                // A consumer holds it, yet James never took it (the tracker says so): a hand-off the client lost, which
                // nothing but a restart would end. Alarmed first; still so a sweep later, copied back into dispatch and
                // the original dropped, so the holder cannot hand it over afterwards (at worst a duplicate, never a loss).
                if (firstTime(e, "A")) {
                    return report(new Report(e.queue(), e.name(), StuckMailState.A, "alarmed", overdue));
                }
                return requeue(e, finding, overdue);
            }
            case B -> {
                if (firstTime(e, "B")) {
                    wakeup(e.queue());
                    return report(new Report(e.queue(), e.name(), StuckMailState.B, "woken", overdue));
                }
                return requeue(e, finding, overdue);
            }
            case C -> {
                return requeue(e, finding, overdue);
            }
            default -> throw new IllegalStateException(finding.state().name());
        }
    }

    private Report requeue(MailTracker.Entry e, BrokerQueueInspector.Finding finding, String overdue) {
        try {
            String copy = inspector.requeue(e.queue(), finding);
            if (copy.isEmpty()) {
                return null;
            }
            tracker.remedied(e.queue(), e.name());
            reported.remove(e.seq());
            return report(new Report(e.queue(), e.name(), finding.state(), "requeued", "copy " + copy + ", " + overdue));
        } catch (Exception ex) {
            LOGGER.error("stuck mail {} in {} ({}) could not be requeued: {}", e.name(), e.queue(),
                finding.state().word(), ex.toString());
            return null;
        }
    }

    private boolean firstTime(MailTracker.Entry e, String what) {
        return !what.equals(reported.put(e.seq(), what));
    }

    private Report report(Report r) {
        counts.merge(r.state().word() + "/" + r.action(), 1L, Long::sum);
        if (r.action().equals("held")) {
            LOGGER.warn("mail {} held in queue {} for over {}: {}", r.mailName(), r.queue(), timings.heldAfter(), r.detail());
        } else {
            LOGGER.error("stuck mail {} in queue {}: state {} ({}), {}: {}", r.mailName(), r.queue(), r.state().name(),
                r.state().word(), r.action(), r.detail());
        }
        try {
            found.accept(r);
        } catch (RuntimeException ex) {
            LOGGER.warn("stuck-mail report not passed on: {}", ex.toString());
        }
        return r;
    }

    private long deadLetters() {
        try {
            return inspector.deadLetters();
        } catch (Exception ex) {
            return 0;
        }
    }

    private void wakeup(String queue) {
        try {
            inspector.wakeup(queue);
        } catch (Exception ex) {
            LOGGER.warn("wakeup of queue {} failed: {}", queue, ex.toString());
        }
    }

    @Override
    public synchronized Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            if (phase == Phase.CLOSED) {
                return;
            }
            phase = Phase.CLOSED;
            s = sweeper;
        }
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
