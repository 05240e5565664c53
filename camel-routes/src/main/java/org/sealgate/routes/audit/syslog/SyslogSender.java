package org.sealgate.routes.audit.syslog;

import java.io.Closeable;

import org.sealgate.audit.AuditEvent;

/**
 * Sends audit events to a syslog collector from its own thread. {@link #offer} never waits: when the collector is
 * slow or gone and the queue is full, the event is dropped and counted (the JSON lines still have it). Create with
 * {@link SyslogSenders}, {@link #start()} once, {@link #close()} when done.
 */
public interface SyslogSender extends Closeable {

    enum State { LATENT, STARTED, CLOSED }

    void start();

    /** Queues the event for the collector; returns at once. */
    void offer(AuditEvent event);

    /** Events handed to the collector's socket. */
    long sent();

    /** Events dropped: queue full, or the write to the collector failed. */
    long dropped();

    State state();

    @Override
    void close();
}
