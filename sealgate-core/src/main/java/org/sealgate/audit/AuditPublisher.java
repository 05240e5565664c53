package org.sealgate.audit;

/**
 * Where mailets send audit events. Implementations must not block mail processing for long and must never throw
 * for a well-formed event: losing the audit trail is logged by the implementation, not by the caller.
 */
@FunctionalInterface
public interface AuditPublisher {
    void publish(AuditEvent event);
}
