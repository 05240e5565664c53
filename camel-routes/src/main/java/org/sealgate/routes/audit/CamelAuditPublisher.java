package org.sealgate.routes.audit;

import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.seda.SedaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;

/**
 * Hands audit events to the {@link AuditRoutes} queue. Mail processing must go on when auditing fails, so
 * {@link #publish} never throws: a lost event is logged and counted instead.
 * The event goes straight to the SEDA endpoint's own producer (created once, started with Camel's lifecycle), not
 * through a {@code ProducerTemplate}: the template looked the producer up and ran a unit of work around every send,
 * a third of a millisecond per mail, for an in-memory queue offer. The queue's bound and offer timeout still apply.
 */
public final class CamelAuditPublisher implements AuditPublisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CamelAuditPublisher.class);

    private final Producer producer;
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
        try {
            this.producer = inbox.createProducer();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the audit queue's producer: " + e.getMessage(), e);
        }
        // A service of the context: started now if Camel runs, stopped with it.
        try {
            camel.addService(producer, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the audit queue's producer: " + e.getMessage(), e);
        }
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
            Exchange exchange = inbox.createExchange();
            exchange.getIn().setBody(event);
            producer.process(exchange);
            if (exchange.getException() != null) {
                lost("the audit queue did not accept it", exchange.getException());
            }
        } catch (Exception e) {
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

    private void lost(String why, Exception cause) {
        failures.eventNotPublished();
        LOG.warn("Audit event lost, {}{}", why, cause == null ? "" : ": " + cause);
    }
}
