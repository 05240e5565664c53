package org.sealgate.routes.audit;

import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
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
    private final Endpoint inbox;
    private final AuditFailureCounter failures;
    /** Publishers share the read lock; close takes the write lock, so no event is in flight once it returns. */
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private boolean closed;

    public CamelAuditPublisher(CamelContext camel, AuditFailureCounter failures) {
        this.failures = Objects.requireNonNull(failures);
        this.inbox = camel.getEndpoint(AuditRoutes.INBOX_URI);
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

    private void lost(String why, RuntimeException cause) {
        failures.eventNotPublished();
        LOG.warn("Audit event lost, {}{}", why, cause == null ? "" : ": " + cause);
    }
}
