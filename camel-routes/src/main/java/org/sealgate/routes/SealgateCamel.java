package org.sealgate.routes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.gina.mail.SmsGateway;
import org.sealgate.keys.discovery.DiscoveredKeyValidator;
import org.sealgate.keys.discovery.KeyDiscovery;
import org.sealgate.routes.audit.AuditFailureCounter;
import org.sealgate.routes.audit.AuditRoutes;
import org.sealgate.routes.audit.CamelAuditPublisher;
import org.sealgate.routes.audit.syslog.SyslogSender;
import org.sealgate.routes.audit.syslog.SyslogSenders;
import org.sealgate.routes.audit.syslog.SyslogSettings;
import org.sealgate.routes.discovery.CamelKeyDiscovery;
import org.sealgate.routes.discovery.DiscoveryCache;
import org.sealgate.routes.discovery.DiscoveryOrder;
import org.sealgate.routes.discovery.KeySource;
import org.sealgate.routes.jobs.JobRoutes;
import org.sealgate.routes.jobs.JobStatistics;
import org.sealgate.routes.jobs.ScheduledJob;
import org.sealgate.routes.sms.CamelSmsGateway;
import org.sealgate.routes.sms.SmsRoutes;
import org.sealgate.routes.sms.SmsSettings;

/**
 * The Camel side of a Sealgate node: one CamelContext with the audit route, started on construction, and the
 * SMS route for GINA first passwords when the node configures an SMS gateway ({@link #smsGateway}).
 * Closing it writes every event published before {@link #close()} (bounded by the shutdown timeout), then stops.
 */
public final class SealgateCamel implements AutoCloseable {
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final CamelContext camel;
    private final AuditFailureCounter auditFailures = new AuditFailureCounter();
    private final CamelAuditPublisher auditPublisher;
    private final AtomicBoolean closed = new AtomicBoolean();
    private ProducerTemplate smsTemplate;

    private final Optional<SyslogSender> syslog;

    private SealgateCamel(Properties properties, Duration shutdownTimeout, Optional<SyslogSettings> syslogSettings) {
        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("sealgate");
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getShutdownStrategy().setTimeUnit(TimeUnit.MILLISECONDS);
        camel.getShutdownStrategy().setTimeout(shutdownTimeout.toMillis());
        syslog = syslogSettings.map(SyslogSenders::create);
        syslog.ifPresent(SyslogSender::start);
        try {
            camel.addRoutes(new AuditRoutes(auditFailures, syslog));
            camel.start();
        } catch (Exception e) {
            // Boundary: addRoutes declares Exception; a node without its audit route must not start.
            camel.stop();
            syslog.ifPresent(SyslogSender::close);
            throw new IllegalStateException("cannot start the Camel routes: " + e.getMessage(), e);
        }
        auditPublisher = new CamelAuditPublisher(camel, auditFailures);
    }

    /** Starts Camel writing the audit trail to {@code auditDirectory/audit.jsonl}. */
    public static SealgateCamel start(Path auditDirectory) {
        return start(auditDirectory, new Properties(), DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * @param settings        further {@code sealgate.*} placeholders, e.g. {@code sealgate.audit.queueSize},
     *                        {@code sealgate.audit.offerTimeoutMillis}, {@code sealgate.audit.forceWrites}
     * @param shutdownTimeout how long {@link #close()} waits for queued events before giving up on them
     */
    public static SealgateCamel start(Path auditDirectory, Properties settings, Duration shutdownTimeout) {
        return start(auditDirectory, settings, shutdownTimeout, Optional.empty());
    }

    /** As above, and every audit event also to the syslog collector when {@code syslog} is present. */
    public static SealgateCamel start(Path auditDirectory, Properties settings, Duration shutdownTimeout,
                                      Optional<SyslogSettings> syslog) {
        Properties properties = new Properties();
        properties.putAll(settings);
        properties.setProperty("sealgate.audit.dir", auditDirectory.toAbsolutePath().toString());
        return new SealgateCamel(properties, Objects.requireNonNull(shutdownTimeout), Objects.requireNonNull(syslog));
    }

    /** The syslog leg of the audit route, when configured (its sent and dropped counts are for /metrics). */
    public Optional<SyslogSender> syslog() {
        return syslog;
    }

    public AuditPublisher auditPublisher() {
        return auditPublisher;
    }

    /**
     * Adds the route to the HTTP SMS gateway and returns the {@link SmsGateway} that uses it. Once per context: the
     * HTTP component's timeouts are set to the settings' timeout, so a slow gateway cannot stall the mail pipeline,
     * and its automatic retries are off.
     */
    public synchronized SmsGateway smsGateway(SmsSettings settings) {
        if (smsTemplate != null) {
            throw new IllegalStateException("the SMS route is already running");
        }
        long millis = settings.timeout().toMillis();
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = camel.getComponent(scheme, HttpComponent.class);
            http.setConnectTimeout(millis);
            http.setConnectionRequestTimeout(millis);
            http.setResponseTimeout(millis);
            http.setSoTimeout(millis);
            // HttpClient would resend on 503/429 and I/O errors: a second SMS with the same password, or one the
            // gateway may already have sent. One attempt; a failure falls back to the sender mail.
            http.setHttpClientConfigurer(builder -> builder.disableAutomaticRetries());
        }
        try {
            camel.addRoutes(new SmsRoutes(settings));
        } catch (Exception e) {
            // Boundary: addRoutes declares Exception.
            throw new IllegalStateException("cannot start the SMS route: " + e.getMessage(), e);
        }
        smsTemplate = camel.createProducerTemplate();
        return new CamelSmsGateway(smsTemplate, settings);
    }

    /**
     * Adds one timer route per job; each tick runs its job only while {@code leading} is true (see {@link JobRoutes}).
     * Once per context: route ids are per job name.
     */
    public synchronized JobStatistics scheduleJobs(List<ScheduledJob> jobs, BooleanSupplier leading) {
        JobStatistics statistics = new JobStatistics();
        try {
            camel.addRoutes(new JobRoutes(jobs, leading, statistics));
        } catch (Exception e) {
            // Boundary: addRoutes declares Exception.
            throw new IllegalStateException("cannot start the job routes: " + e.getMessage(), e);
        }
        return statistics;
    }

    /**
     * Adds one route per key source and returns the discovery that asks them (see {@link CamelKeyDiscovery}).
     * Once per context: route ids are per source name.
     */
    public synchronized KeyDiscovery keyDiscovery(List<KeySource> sources, DiscoveryOrder order,
                                                  DiscoveredKeyValidator validator, DiscoveryCache cache) {
        return CamelKeyDiscovery.start(camel, sources, order, validator, cache, java.time.Clock.systemUTC());
    }

    /** As above, with a validator made anew for each look-up (the node's trust anchors and CRLs change live). */
    public synchronized KeyDiscovery keyDiscovery(List<KeySource> sources, DiscoveryOrder order,
                                                  java.util.function.Supplier<DiscoveredKeyValidator> validator,
                                                  DiscoveryCache cache) {
        return CamelKeyDiscovery.start(camel, sources, order, validator, cache, java.time.Clock.systemUTC());
    }

    /**
     * Adds the revocation routes ({@code direct:revocation-crl}, {@code direct:revocation-ocsp}) with {@code http} as
     * their bounded HTTP leg, and returns the transport the node's revocation checker uses. Once per context.
     */
    public synchronized org.sealgate.revocation.RevocationTransport revocationTransport(
            org.sealgate.revocation.RevocationTransport http) {
        return org.sealgate.routes.revocation.CamelRevocationTransport.start(camel, http);
    }

    public AuditFailureCounter auditFailures() {
        return auditFailures;
    }

    /** Stops accepting events, writes the queued ones, stops Camel. Safe to call more than once. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            auditPublisher.close();
            synchronized (this) {
                if (smsTemplate != null) {
                    smsTemplate.stop();
                }
            }
            // Graceful shutdown: the audit route completes all queued exchanges within the shutdown timeout.
            camel.stop();
            auditPublisher.countEventsLeftAfterStop();
            syslog.ifPresent(SyslogSender::close);
        }
    }
}
