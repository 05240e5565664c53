package org.sealgate.node;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQConfiguration;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.FileSystemBlobTransferPolicy;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorImpl;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's durable mail queue as one unit with one lifecycle: our broker ({@link QueueBroker}), James's ActiveMQ
 * queue factory on it, every queue tracked, and the stuck-mail detector sweeping. Built by Guice when James starts;
 * James's stop calls {@link #stop()}: detector, consumers' dequeues, queues, broker.
 */
final class QueueRuntime {
    private static final Logger LOGGER = LoggerFactory.getLogger(QueueRuntime.class);
    private static final int UNFINISHED_LOGGED = 20;
    private static final Duration DEQUEUE_STOP_WAIT = Duration.ofSeconds(3);

    private final QueueBroker broker;
    private final ActiveMQMailQueueFactory james;
    private final TrackedMailQueueFactory queues;
    private final StuckMailDetector detector;
    private final MailTracker tracker;

    @Inject
    QueueRuntime(FileSystem fileSystem, MailQueueItemDecoratorFactory decorators, MetricFactory metrics,
                 GaugeRegistry gauges, AuditPublisher audit, StuckMailCounts counts) throws Exception {
        FileSystemBlobTransferPolicy blobs = new FileSystemBlobTransferPolicy();
        blobs.setDefaultUploadUrl("file://var/store/activemq/blob-transfer");
        blobs.setFileSystem(fileSystem);
        broker = QueueBroker.start(fileSystem.getFile("file://var/store/activemq/brokers"), blobs);
        Clock clock = Clock.systemUTC();
        try {
            james = new ActiveMQMailQueueFactory(broker.connectionFactory(), decorators, metrics, gauges,
                new ActiveMQMetricCollectorImpl(ActiveMQConfiguration.getDefault(), broker.connectionFactory(), metrics,
                    gauges));
            // JMX off: the appliance exposes no JMX port.
            james.setUseJMX(false);
            james.init();
            tracker = new MailTracker(clock, 200_000, Duration.ofDays(1));
            queues = new TrackedMailQueueFactory(james, tracker);
            detector = StuckMailDetectors.create(tracker, new BrokerQueueInspector(broker.service()), clock,
                StuckMailDetectors.Timings.defaults(), report -> {
                    counts.add(report);
                    audit.publish(new AuditEvent(clock.instant(), report.mailName(), "queue", "", List.of(),
                        "queue-" + report.action(), "state " + report.state().name() + " (" + report.state().word()
                            + ") in " + report.queue()));
                });
            detector.start();
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    TrackedMailQueueFactory queues() {
        return queues;
    }

    @PreDestroy
    void stop() {
        detector.close();
        List<String> unfinished = tracker.unfinished(UNFINISHED_LOGGED);
        if (!unfinished.isEmpty()) {
            // Normal when stopped under load (they stay queued for the next start); a stuck mail shows here too.
            LOGGER.info("{} mail(s) still queued at stop, oldest first (at most {} shown):\n  {}",
                tracker.snapshot().size(), UNFINISHED_LOGGED, String.join("\n  ", unfinished));
        }
        queues.stopTaking(DEQUEUE_STOP_WAIT);
        try {
            james.destroy();
        } catch (RuntimeException e) {
            LOGGER.warn("mail queues did not close cleanly: {}", e.toString());
        }
        broker.close();
    }
}
