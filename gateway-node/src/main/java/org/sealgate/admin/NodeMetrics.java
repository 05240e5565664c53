package org.sealgate.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.budget.MailMemoryBudget;
import org.sealgate.smtp.DrainSwitch;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The node's Prometheus metrics: mails per direction, outcome and method (counted from the audit events, where
 * every mail's outcome is published once), crypto failures, queue depth and delivery retries, configuration version
 * and age, ZooKeeper connection, draining, and the JVM's own. Labels come from a fixed vocabulary or the audit
 * trail's own words, never from addresses or subjects, so a sender cannot blow up the number of series.
 */
public final class NodeMetrics {
    private static final Pattern WORD = Pattern.compile("[a-z0-9+_-]{1,40}");
    private static final Pattern CRYPTO_FAILURE = Pattern.compile(
        "(?i)decryption failed|without integrity|integrity check|MDC|AEAD");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter mails;
    private final Counter cryptoFailures;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public NodeMetrics(NodeView node, DrainSwitch drain, Clock clock) {
        mails = Counter.builder().name("sealgate_mails_total")
            .help("Mails by direction (inbound, outbound, smtp = refused at RCPT), outcome and protection method")
            .labelNames("direction", "outcome", "method").register(registry);
        cryptoFailures = Counter.builder().name("sealgate_crypto_failures_total")
            .help("Mails whose decryption or integrity check failed (held in quarantine)")
            .labelNames("direction").register(registry);
        GaugeWithCallback.builder().name("sealgate_queue_depth").help("Mails in each of the node's queues")
            .labelNames("queue").callback(cb -> {
                try {
                    node.queues().depths().forEach((queue, depth) -> cb.call(depth, label(queue)));
                } catch (IOException | RuntimeException e) {
                    // no sample: the queue problem shows in /healthz
                }
            }).register(registry);
        GaugeWithCallback.builder().name("sealgate_delivery_retry_waiting")
            .help("Queued mails whose delivery failed at least once and that wait for their next attempt")
            .callback(cb -> queues(node).ifPresent(q -> cb.call(q.retryWaiting()))).register(registry);
        GaugeWithCallback.builder().name("sealgate_delivery_retries")
            .help("Failed delivery attempts so far of the mails still queued")
            .callback(cb -> queues(node).ifPresent(q -> cb.call(q.retries()))).register(registry);
        GaugeWithCallback.builder().name("sealgate_config_version")
            .help("Cluster configuration version in force (absent on a standalone node)")
            .callback(cb -> node.configVersion().ifPresent(v -> cb.call(v))).register(registry);
        GaugeWithCallback.builder().name("sealgate_config_age_seconds")
            .help("Seconds since ZooKeeper recorded the configuration version in force")
            .callback(cb -> node.configAppliedAt().ifPresent(t -> cb.call(seconds(Duration.between(t, clock.instant())))))
            .register(registry);
        GaugeWithCallback.builder().name("sealgate_config_stale_seconds")
            .help("Seconds the configuration in force may have been outdated (0 when current)")
            .callback(cb -> cb.call(node.configStaleSince().map(t -> seconds(Duration.between(t, clock.instant()))).orElse(0.0)))
            .register(registry);
        GaugeWithCallback.builder().name("sealgate_zookeeper_connected")
            .help("1 while the ZooKeeper session is connected (absent on a standalone node)")
            .callback(cb -> node.zooKeeperConnected().ifPresent(c -> cb.call(c ? 1 : 0))).register(registry);
        GaugeWithCallback.builder().name("sealgate_draining").help("1 while the node is drained")
            .callback(cb -> cb.call(drain.isDraining() ? 1 : 0)).register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** The audit trail's syslog leg: events sent to the collector and dropped (queue full, collector failed). */
    public void registerSyslog(java.util.function.LongSupplier sent, java.util.function.LongSupplier dropped) {
        CounterWithCallback.builder().name("sealgate_audit_syslog_sent")
            .help("Audit events sent to the syslog collector").callback(cb -> cb.call(sent.getAsLong())).register(registry);
        CounterWithCallback.builder().name("sealgate_audit_syslog_dropped")
            .help("Audit events not sent to the syslog collector (queue full or write failed; the JSON lines have them)")
            .callback(cb -> cb.call(dropped.getAsLong())).register(registry);
    }

    /** Whether this node runs the cluster's scheduled jobs now. */
    public void registerJobLeadership(java.util.function.BooleanSupplier leading) {
        GaugeWithCallback.builder().name("sealgate_jobs_leader")
            .help("1 while this node leads the cluster's scheduled jobs (expiry warnings, cache eviction, CRL refresh)")
            .callback(cb -> cb.call(leading.getAsBoolean() ? 1 : 0)).register(registry);
    }

    /**
     * Mails the stuck-mail detector found due in a queue and not taken, by broker state and action (alarmed, woken,
     * requeued, held); counts keyed {@code state/action}.
     */
    public void registerStuckMails(java.util.function.Supplier<java.util.Map<String, Long>> counts) {
        CounterWithCallback.builder().name("sealgate_queue_stuck_mails")
            .help("Mails due in a mail queue that no consumer took (state: in-flight, undispatched, lost-from-cursor,"
                + " gone) or that James held too long, by what the detector did (alarmed, woken, requeued, held)")
            .labelNames("state", "action")
            .callback(cb -> counts.get().forEach((key, n) -> {
                int slash = key.indexOf('/');
                cb.call(n, label(key.substring(0, slash)), label(key.substring(slash + 1)));
            })).register(registry);
    }

    /**
     * The node's memory budget for whole-message work: what it may hold, what it holds, the mails waiting for room
     * (a growing figure means large mails arrive faster than the node can work on them) and the mails held because
     * the wait ran out.
     */
    public void registerMemoryBudget(MailMemoryBudget budget) {
        GaugeWithCallback.builder().name("sealgate_mail_budget_capacity_bytes")
            .help("Heap bytes whole-message steps (S/MIME, OpenPGP, GINA) may hold together")
            .callback(cb -> cb.call(budget.capacityBytes())).register(registry);
        GaugeWithCallback.builder().name("sealgate_mail_budget_reserved_bytes")
            .help("Heap bytes whole-message steps hold now (each mail weighed at its size times memory.mail-weight)")
            .callback(cb -> cb.call(budget.reservedBytes())).register(registry);
        GaugeWithCallback.builder().name("sealgate_mail_budget_waiting_mails")
            .help("Mails waiting for room in the memory budget before their whole-message step")
            .callback(cb -> cb.call(budget.waitingMails())).register(registry);
        CounterWithCallback.builder().name("sealgate_mail_budget_timeouts")
            .help("Mails held because they waited longer than memory.mail-wait-seconds for room in the memory budget")
            .callback(cb -> cb.call(budget.timedOut())).register(registry);
    }

    /** The publisher the node hands to its mailets: counts, then passes each event to {@code next}. */
    public AuditPublisher counting(AuditPublisher next) {
        return new CountingAuditPublisher(next, this);
    }

    void count(AuditEvent event) {
        String direction = label(event.direction());
        String outcome = label(event.outcome());
        Set<String> methods = new TreeSet<>();
        event.recipients().forEach(r -> methods.add(label(r.method())));
        if (methods.isEmpty()) {
            methods.add("none");
        }
        // One mail with recipients protected two ways counts once under each way.
        methods.forEach(method -> mails.labelValues(direction, outcome, method).inc());
        if (CRYPTO_FAILURE.matcher(event.reason()).find()) {
            cryptoFailures.labelValues(direction).inc();
        }
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }

    public String contentType() {
        return writer.getContentType();
    }

    private static Optional<QueueStats> queues(NodeView node) {
        try {
            return Optional.of(node.queues());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static double seconds(Duration duration) {
        return Math.max(0, duration.toMillis() / 1000.0);
    }

    private static String label(String value) {
        String lower = value == null ? "" : value.toLowerCase(Locale.ROOT);
        return WORD.matcher(lower).matches() ? lower : "other";
    }
}
