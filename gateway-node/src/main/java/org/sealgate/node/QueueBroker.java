package org.sealgate.node;

import java.io.File;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;
import org.apache.activemq.blob.BlobTransferPolicy;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.jmx.ManagementContext;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.plugin.StatisticsBrokerPlugin;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded ActiveMQ broker under James's mail queues, built here instead of by James's {@code EmbeddedActiveMQ}
 * so the queue policy can be set before any queue exists (a policy set later does not reach queues KahaDB restores
 * at start). Same broker name ({@code james}, the VM transport's name), broker id, KahaDB and blob directories as
 * James's, so a node's existing queue keeps working. The changes close the broker paths known to strand a stored
 * message until restart (AMQ-9625 family, docs/notes activemq.md §4.1): no cursor cache, no expiry sweep (James sets
 * no TTL), KahaDB stores before it dispatches.
 */
final class QueueBroker implements AutoCloseable {
    static final String NAME = "james";
    private static final Logger LOGGER = LoggerFactory.getLogger(QueueBroker.class);

    private final BrokerService service;
    private final ActiveMQConnectionFactory connectionFactory;

    private QueueBroker(BrokerService service, ActiveMQConnectionFactory connectionFactory) {
        this.service = service;
        this.connectionFactory = connectionFactory;
    }

    /**
     * Starts the broker.
     *
     * @param brokersDirectory {@code var/store/activemq/brokers}; KahaDB lives in its {@code KahaDB} child
     * @param blobs            where mail bodies go ({@code var/store/activemq/blob-transfer})
     */
    static QueueBroker start(File brokersDirectory, BlobTransferPolicy blobs) throws Exception {
        return start(brokersDirectory, blobs, true);
    }

    /** {@code hardened=false}: ActiveMQ's defaults as James's broker had them (the reproduction harness compares). */
    static QueueBroker start(File brokersDirectory, BlobTransferPolicy blobs, boolean hardened) throws Exception {
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(new File(brokersDirectory, "KahaDB"));
        // Store, then dispatch: the concurrent path races the store cursor (a message stored but never paged in).
        kahaDb.setConcurrentStoreAndDispatchQueues(!hardened);

        BrokerService service = new BrokerService();
        service.setBrokerName(NAME);
        service.setBrokerId("broker");
        service.setPersistent(true);
        service.setDataDirectoryFile(brokersDirectory);
        service.setPersistenceAdapter(kahaDb);
        service.setUseShutdownHook(false);
        // James delays with its own JAMES_NEXT_DELIVERY selector, never with the broker's scheduler.
        service.setSchedulerSupport(false);
        // No JMX, no TCP connector: the node's queue is reached in-VM only.
        service.setUseJmx(false);
        ManagementContext management = new ManagementContext();
        management.setCreateConnector(false);
        service.setManagementContext(management);
        service.setTransportConnectorURIs(new String[0]);
        // James's ActiveMQ metric collector asks the statistics plugin.
        service.setPlugins(new BrokerPlugin[] {new StatisticsBrokerPlugin()});
        if (hardened) {
            service.setDestinationPolicy(queuePolicy());
        }
        limitUsage(service, brokersDirectory);
        service.start();
        service.waitUntilStarted();

        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://" + NAME + "?create=false");
        factory.setBlobTransferPolicy(blobs);
        // Prefetch 0 as James: a consumer holds no message it has not asked for.
        ActiveMQPrefetchPolicy prefetch = new ActiveMQPrefetchPolicy();
        prefetch.setQueuePrefetch(0);
        prefetch.setTopicPrefetch(0);
        factory.setPrefetchPolicy(prefetch);
        factory.setTrustAllPackages(false);
        LOGGER.debug("Mail queue broker started (KahaDB in {})", kahaDb.getDirectory());
        return new QueueBroker(service, factory);
    }

    /**
     * The broker's defaults (1 GB memory, 100 GB store, 50 GB temp) exceed what a node has; the broker then lowers
     * them itself with a warning on every start. Set what it would end up with, quietly.
     */
    private static void limitUsage(BrokerService service, File directory) {
        long heap = Runtime.getRuntime().maxMemory();
        service.getSystemUsage().getMemoryUsage().setLimit(Math.min(1L << 30, heap / 10 * 7));
        directory.mkdirs();
        long usable = directory.getUsableSpace();
        service.getSystemUsage().getStoreUsage().setLimit(Math.min(100L << 30, usable / 100 * 99));
        service.getSystemUsage().getTempUsage().setLimit(Math.min(50L << 30, usable / 100 * 99));
    }

    /** Every queue: the store cursor reads KahaDB in order (no cache) and nothing sweeps for expiry. */
    static PolicyMap queuePolicy() {
        PolicyEntry queues = new PolicyEntry();
        queues.setQueue(">");
        queues.setUseCache(false);
        queues.setExpireMessagesPeriod(0);
        PolicyMap policy = new PolicyMap();
        policy.setDefaultEntry(queues);
        return policy;
    }

    ActiveMQConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    BrokerService service() {
        return service;
    }

    /** Stops the broker and waits for KahaDB to close; idempotent. */
    @Override
    public void close() {
        try {
            service.stop();
            service.waitUntilStopped();
        } catch (Exception e) {
            LOGGER.warn("mail queue broker did not stop cleanly: {}", e.toString());
        }
    }
}
