package org.sealgate.routes.audit.syslog;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.sealgate.audit.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread takes events from a bounded queue, formats them ({@link Rfc5424}) and writes them to the
 * collector, connecting again after a failure with a growing pause (up to {@link #MAX_BACKOFF}); the event in hand
 * waits for the connection, later ones wait in the queue. A write that fails drops that event (counted): resending
 * could duplicate it on a collector that had taken it. A collector
 * that accepts but does not read blocks only this thread; the queue fills and further events are dropped.
 */
final class SyslogSenderImpl implements SyslogSender {
    private static final Logger LOGGER = LoggerFactory.getLogger(SyslogSenderImpl.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration DROP_LOG_INTERVAL = Duration.ofMinutes(1);

    private final SyslogSettings settings;
    private final long processId;
    private final BlockingQueue<AuditEvent> queue;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread worker;
    private volatile SyslogTransport transport;
    private volatile long lastDropLog;

    SyslogSenderImpl(SyslogSettings settings, long processId) {
        this.settings = settings;
        this.processId = processId;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        this.worker = new Thread(this::work, "sealgate-audit-syslog");
        this.worker.setDaemon(true);
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("a SyslogSender starts once; this one is " + state.get());
        }
        worker.start();
        LOGGER.info("Audit events also go to syslog {}:{} over {}", settings.host(), settings.port(), settings.protocol());
    }

    @Override
    public void offer(AuditEvent event) {
        if (state.get() != State.STARTED || !queue.offer(event)) {
            drop("the syslog queue is full (collector slow or unreachable)");
        }
    }

    @Override
    public long sent() {
        return sent.sum();
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public State state() {
        return state.get();
    }

    /** Stops at once: a collector that is down must not delay the node's shutdown. Queued events are dropped. */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        worker.interrupt();
        SyslogTransport open = transport;
        if (open != null) {
            open.close(); // unblocks a write stuck on a collector that does not read
        }
        try {
            worker.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        queue.clear();
        if (left > 0) {
            dropped.add(left);
            LOGGER.warn("{} audit events not sent to syslog at shutdown", left);
        }
    }

    private void work() {
        long backoffMillis = 250;
        byte[] pending = null; // formatted, not yet written: kept while the collector cannot be reached
        while (state.get() == State.STARTED) {
            if (pending == null) {
                AuditEvent event;
                try {
                    event = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (event == null) {
                    continue;
                }
                pending = Rfc5424.format(event, settings, processId);
            }
            if (transport == null) {
                try {
                    transport = SyslogTransport.open(settings);
                    LOGGER.info("Connected to syslog collector {}:{} ({})", settings.host(), settings.port(),
                        settings.protocol());
                    backoffMillis = 250;
                } catch (IOException | RuntimeException e) {
                    problem("cannot connect to syslog collector " + settings.host() + ":" + settings.port() + ": " + e);
                    if (!pause(backoffMillis)) {
                        return;
                    }
                    backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
                    continue;
                }
            }
            try {
                transport.send(pending);
                sent.increment();
            } catch (IOException | RuntimeException e) {
                // Not resent: the collector may have taken part of it; a duplicate would be a false record.
                drop("write to syslog collector " + settings.host() + ":" + settings.port() + " failed: " + e);
                transport.close();
                transport = null;
            }
            pending = null;
        }
        SyslogTransport open = transport;
        if (open != null) {
            open.close();
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void problem(String message) {
        long now = System.nanoTime();
        if (lastDropLog == 0 || now - lastDropLog > DROP_LOG_INTERVAL.toNanos()) {
            lastDropLog = now;
            LOGGER.warn("{} ({} audit events dropped so far)", message, dropped.sum());
        }
    }

    /** Counts every drop; logs at most once a minute, with the count so far. */
    private void drop(String why) {
        dropped.increment();
        long now = System.nanoTime();
        if (lastDropLog == 0 || now - lastDropLog > DROP_LOG_INTERVAL.toNanos()) {
            lastDropLog = now;
            LOGGER.warn("Audit event not sent to syslog ({} dropped so far): {}", dropped.sum(), why);
        }
    }
}
