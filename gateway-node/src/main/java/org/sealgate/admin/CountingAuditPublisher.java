package org.sealgate.admin;

import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;

/** Counts each audit event in the node's metrics, then hands it on: every mail's outcome passes here exactly once. */
final class CountingAuditPublisher implements AuditPublisher {
    private final AuditPublisher next;
    private final NodeMetrics metrics;

    CountingAuditPublisher(AuditPublisher next, NodeMetrics metrics) {
        this.next = next;
        this.metrics = metrics;
    }

    @Override
    public void publish(AuditEvent event) {
        try {
            metrics.count(event);
        } catch (RuntimeException e) {
            // Metrics never cost an audit event.
        }
        next.publish(event);
    }
}
