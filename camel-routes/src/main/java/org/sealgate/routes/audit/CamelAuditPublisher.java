package org.sealgate.routes.audit;

import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;

/**
 * Hands audit events to the {@link AuditRoutes} queue. Mail processing must go on when auditing fails, so
 * {@link #publish} never throws: a lost event is logged and counted instead.
 */
public final class CamelAuditPublisher implements AuditPublisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CamelAuditPublisher.class);

    private final ProducerTemplate producer;
    private final SedaEndpoint inbox;
    /** Kept from the start: the endpoint lets go of its queue when Camel stops, the events stay in it. */
    private final BlockingQueue<Exchange> queued;
    private final AuditFailureCounter failures;
    /** Publishers share the read lock; close takes the write lock, so no event is in flight once it returns. */
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private boolean closed;

    public CamelAuditPublisher(CamelContext camel, AuditFailureCounter failures) {
        this.failures = Objects.requireNonNull(failures);
        this.inbox = camel.getEndpoint(AuditRoutes.INBOX_URI, SedaEndpoint.class);
        this.queued = inbox.getQueue();
        this.producer = camel.createProducerTemplate();
    }

    @Override
    public void publish(AuditEvent event) {
        if (event == null) {
            lost("null event", null);
            return;
        }
        closing.readLock().lock();
        try {
            if (closed) {
                lost("the audit publisher is closed", null);
                return;
            }
            producer.sendBody(inbox, event);
        } catch (RuntimeException e) {
            // Boundary: whatever Camel throws (queue full past the timeout, context stopping), the mail goes on.
            lost("the audit queue did not accept it", e);
        } finally {
            closing.readLock().unlock();
        }
    }

    /** Refuses further events once every publish in progress has handed its event over; idempotent. */
    @Override
    public void close() {
        closing.writeLock().lock();
        try {
            closed = true;
        } finally {
            closing.writeLock().unlock();
        }
    }

    /**
     * Counts the events still queued after Camel stopped: the graceful shutdown timed out before writing them.
     * They are gone with this process, so they count as not written. The one event being written when the
     * timeout forced the stop is not in the queue any more and may be lost without being counted.
     */
    public int countEventsLeftAfterStop() {
        int left = queued.size();
        for (int i = 0; i < left; i++) {
            failures.eventNotWritten();
        }
        if (left > 0) {
            LOG.warn("{} audit events lost: the shutdown timeout passed before they were written", left);
        }
        return left;
    }

    private void lost(String why, RuntimeException cause) {
        failures.eventNotPublished();
        LOG.warn("Audit event lost, {}{}", why, cause == null ? "" : ": " + cause);
    }
}
