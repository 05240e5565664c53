package org.sealgate.routes.audit;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts audit events that did not reach the audit file, so that monitoring can alert on a gap in the trail.
 * Two causes are told apart: the publisher could not hand the event over, or the route could not write it.
 */
public final class AuditFailureCounter {
    private final LongAdder notPublished = new LongAdder();
    private final LongAdder notWritten = new LongAdder();

    void eventNotPublished() {
        notPublished.increment();
    }

    void eventNotWritten() {
        notWritten.increment();
    }

    /** Events the publisher dropped: queue full past the timeout, Camel stopped, or a null event. */
    public long notPublished() {
        return notPublished.sum();
    }

    /** Events the route accepted but could not marshal or append to the file, after retries. */
    public long notWritten() {
        return notWritten.sum();
    }

    public long total() {
        return notPublished() + notWritten();
    }
}
