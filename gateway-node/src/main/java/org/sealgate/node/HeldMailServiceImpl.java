package org.sealgate.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.held.HeldMail;
import org.sealgate.held.HeldMailException;
import org.sealgate.held.HeldMailStore;
import org.sealgate.held.HeldMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link HeldMailService} on one single-threaded scheduler: requests and sweeps never run at once. */
final class HeldMailServiceImpl implements HeldMailService {
    private static final Logger LOGGER = LoggerFactory.getLogger(HeldMailServiceImpl.class);
    /** Requests acted on per poll, mails deleted per sweep: every pass is bounded, the rest waits for the next. */
    static final int MAX_REQUESTS = 50;
    static final int MAX_EXPIRED = 1000;

    /** Puts a released mail back at the start of the pipeline (James's spool); throws when it could not. */
    interface Reinjector {
        void reinject(HeldMessage message) throws Exception;
    }

    private final HeldMailStore store;
    private final Reinjector reinjector;
    private final AuditPublisher audit;
    private final Duration retention;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private ScheduledExecutorService scheduler;

    HeldMailServiceImpl(HeldMailStore store, Reinjector reinjector, AuditPublisher audit, Duration retention, Clock clock) {
        this.store = store;
        this.reinjector = reinjector;
        this.audit = audit;
        this.retention = retention;
        this.clock = clock;
    }

    void start(Duration poll, Duration sweep) {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sealgate-held-mail");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(guarded(this::runOnce), poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guarded(this::sweep), 0, sweep.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Runnable guarded(Runnable task) {
        // An exception would cancel the schedule for good: log it and go on with the next pass.
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOGGER.error("Held mail pass failed: {}", e.toString());
            }
        };
    }

    @Override
    public synchronized void runOnce() {
        for (HeldMailStore.Request request : store.pendingRequests(MAX_REQUESTS)) {
            if (closed.get()) {
                return;
            }
            switch (request.action()) {
                case RELEASE -> release(request);
                case DELETE -> delete(request);
            }
        }
    }

    private void release(HeldMailStore.Request request) {
        HeldMessage message;
        try {
            message = store.open(request.id());
        } catch (HeldMailException e) {
            // Missing, changed on disk or sealed under another key: never released; the record stays for inspection.
            LOGGER.warn("Release of held mail {} refused: {}", request.id(), e.getMessage());
            audit.publish(new AuditEvent(clock.instant(), "", "held", "", List.of(), "release-refused",
                "held mail " + request.id() + " not released: " + e.getMessage()));
            store.finish(request);
            return;
        }
        try {
            reinjector.reinject(message);
        } catch (Exception e) {
            // Kept, and the request with it: the next poll tries again.
            LOGGER.warn("Release of held mail {} failed, will retry: {}", request.id(), e.toString());
            return;
        }
        event(message.mail(), "released", "held mail " + message.mail().id() + " released by an administrator;"
            + " the policy decides it again (was held: " + message.mail().reason() + ")");
        deleteRecord(message.mail().id());
        store.finish(request);
        LOGGER.info("Held mail {} released into the pipeline", message.mail().id());
    }

    private void delete(HeldMailStore.Request request) {
        Optional<HeldMail> mail = metadata(request.id());
        if (deleteRecord(request.id())) {
            event(mail, request.id(), "deleted", "held mail " + request.id() + " deleted by an administrator");
        }
        store.finish(request);
    }

    @Override
    public synchronized int sweep() {
        Instant cutoff = clock.instant().minus(retention);
        int deleted = 0;
        for (String id : store.heldBefore(cutoff, MAX_EXPIRED)) {
            Optional<HeldMail> mail = metadata(id);
            if (deleteRecord(id)) {
                deleted++;
                event(mail, id, "expired", "held mail " + id + " deleted: held longer than the retention limit of "
                    + retention.toDays() + " days");
            }
        }
        if (deleted > 0) {
            LOGGER.info("Retention sweep deleted {} held mail(s) older than {}", deleted, cutoff);
        }
        return deleted;
    }

    private Optional<HeldMail> metadata(String id) {
        try {
            return Optional.of(store.metadata(id));
        } catch (HeldMailException e) {
            return Optional.empty();
        }
    }

    private boolean deleteRecord(String id) {
        try {
            return store.delete(id);
        } catch (HeldMailException e) {
            LOGGER.warn("Cannot delete held mail {}: {}", id, e.getMessage());
            return false;
        }
    }

    private void event(HeldMail mail, String outcome, String reason) {
        event(Optional.of(mail), mail.id(), outcome, reason);
    }

    private void event(Optional<HeldMail> mail, String id, String outcome, String reason) {
        audit.publish(new AuditEvent(clock.instant(), mail.map(HeldMail::messageId).orElse(""), "held",
            mail.map(HeldMail::sender).orElse(""),
            mail.map(m -> m.recipients().stream().map(r -> new AuditEvent.RecipientOutcome(r, "none", "")).toList())
                .orElse(List.of()),
            outcome, reason));
    }

    @Override
    public void close() {
        if (closed.getAndSet(true) || scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
