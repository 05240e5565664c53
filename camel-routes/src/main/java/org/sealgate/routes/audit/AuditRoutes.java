package org.sealgate.routes.audit;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.sealgate.audit.AuditEvent;
import org.sealgate.routes.audit.syslog.SyslogSender;

/**
 * Audit events from the mailets to {@code {{sealgate.audit.dir}}/audit.jsonl}, one JSON object per line.
 * <p>
 * The entry point is SEDA rather than direct: appending (and fsync-ing) the file must not run on the James
 * spool thread that processes the mail. The bounded queue blocks the publisher for at most
 * {@code sealgate.audit.offerTimeoutMillis} when the disk cannot keep up, then the event is counted as lost;
 * a single consumer keeps appends sequential, so lines never interleave. {@link AuditFile} writes each line.
 */
public final class AuditRoutes extends RouteBuilder {
    /** Producers must use exactly this URI: SEDA refuses a second endpoint on the queue with another size. */
    public static final String INBOX_URI = "seda:sealgate-audit"
            + "?size={{sealgate.audit.queueSize:10000}}"
            + "&blockWhenFull=true"
            // Short polls let a graceful shutdown notice the drained queue quickly.
            + "&pollTimeout=100"
            + "&offerTimeout={{sealgate.audit.offerTimeoutMillis:2000}}";
    public static final String ROUTE_ID = "sealgate-audit";
    public static final String FAILURE_ROUTE_ID = "sealgate-audit-failures";

    static final String FAILURE_URI = "direct:sealgate-audit-failures";

    private static final Logger LOG = LoggerFactory.getLogger(AuditRoutes.class);

    private final AuditFailureCounter failures;
    private final Optional<SyslogSender> syslog;

    public AuditRoutes(AuditFailureCounter failures) {
        this(failures, Optional.empty());
    }

    /** With a syslog leg: each event is also offered to the collector's queue (never waiting) before the file. */
    public AuditRoutes(AuditFailureCounter failures, Optional<SyslogSender> syslog) {
        this.failures = Objects.requireNonNull(failures);
        this.syslog = Objects.requireNonNull(syslog);
    }

    @Override
    public void configure() {
        // Retries cover a briefly unavailable disk; the message body is never logged by Camel's error handler.
        errorHandler(deadLetterChannel(FAILURE_URI)
                .maximumRedeliveries(2)
                .redeliveryDelay(100)
                .logExhausted(false)
                .logExhaustedMessageBody(false)
                .logRetryAttempted(false));

        // Started first and stopped last, so failures while the audit route drains on shutdown are still counted.
        from(FAILURE_URI)
                .routeId(FAILURE_ROUTE_ID)
                .startupOrder(1)
                .errorHandler(noErrorHandler())
                .process(this::recordFailure);

        RouteDefinition route = from(INBOX_URI)
                .routeId(ROUTE_ID)
                .startupOrder(2)
                // On shutdown write every queued event, not only the one in progress.
                .shutdownRunningTask(ShutdownRunningTask.CompleteAllTasks);
        syslog.ifPresent(sender -> route.process(exchange -> sender.offer(exchange.getIn().getBody(AuditEvent.class))));
        AuditFile file = new AuditFile(Path.of(placeholder("{{sealgate.audit.dir}}"),
                placeholder("{{sealgate.audit.fileName:audit.jsonl}}")),
                Boolean.parseBoolean(placeholder("{{sealgate.audit.forceWrites:true}}")));
        route.process(exchange -> file.append(exchange.getIn().getBody(AuditEvent.class)));
    }

    private String placeholder(String expression) {
        return getContext().resolvePropertyPlaceholders(expression);
    }

    private void recordFailure(Exchange exchange) {
        failures.eventNotWritten();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        // Only the exception: the event itself stays out of the application log.
        LOG.warn("Audit event lost, could not be written to the audit file (exchange {}): {}",
                exchange.getExchangeId(), cause == null ? "unknown cause" : cause.toString());
    }
}
