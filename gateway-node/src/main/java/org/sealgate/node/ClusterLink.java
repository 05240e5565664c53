package org.sealgate.node;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.discovery.DiscoveredKeyStore;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.zk.admin.ClusterAdminToken;
import org.sealgate.zk.config.NodeEntry;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.keys.ClusterMasterKey;
import org.sealgate.zk.keys.ZkDiscoveredKeyStore;
import org.sealgate.zk.keys.ZkDiscoveredKeyStores;
import org.sealgate.zk.keys.ZkKeyDirectories;
import org.sealgate.zk.keys.ZkKeyDirectory;
import org.sealgate.zk.keys.ZkPgpKeyDirectories;
import org.sealgate.zk.keys.ZkPgpKeyDirectory;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.routes.jobs.ExpiryWarningSettings;
import org.sealgate.routes.jobs.WarningLedger;
import org.sealgate.zk.leader.JobLeadership;
import org.sealgate.zk.leader.JobLeaderships;
import org.sealgate.zk.leader.JobMemory;
import org.sealgate.zk.registry.NodeRegistration;
import org.sealgate.zk.revocation.SharedCrlFolder;
import org.sealgate.zk.revocation.SharedCrlFolders;
import org.sealgate.revocation.SharedCrls;
import org.sealgate.zk.registry.NodeRegistry;
import org.sealgate.zk.registry.NodeStatus;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.watch.ConfigHealth;
import org.sealgate.zk.watch.ConfigListener;
import org.sealgate.zk.watch.ConfigSnapshot;
import org.sealgate.zk.watch.ConfigWatcher;
import org.sealgate.zk.watch.ConfigWatchers;
import org.sealgate.zk.watch.RejectedVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's connection to the cluster: one Curator client (the node identity: read, plus create in
 * {@code /keys/harvested} and {@code /nodes}), the {@link ConfigWatcher} whose snapshot the mail pipeline's policy
 * reads, the key directory in ZooKeeper (unless {@code zk.keys = files}), and the node's registry entry. Started
 * before James so the first mail already sees the cluster's policy and keys; if ZooKeeper cannot be reached the
 * node starts anyway from its local copies (last-known-good configuration, key copy).
 */
final class ClusterLink implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ClusterLink.class);
    /** How long start() waits for ZooKeeper before going on with the local copies. */
    private static final Duration FIRST_READ = Duration.ofSeconds(10);

    private final ClusterSettings settings;
    private final NodeSettings node;
    private final CuratorFramework client;
    private final ConfigWatcher watcher;
    private final Optional<ZkKeyDirectory> keys;
    private final Optional<ZkPgpKeyDirectory> pgpKeys;
    /** Keys found by discovery, shared by the cluster: present when the keys live in ZooKeeper. */
    private Optional<ZkDiscoveredKeyStore> discoveredKeys = Optional.empty();
    private final PolicyProvider policy;
    private final Instant started = Instant.now();
    private NodeRegistration registration;
    private JobLeadership jobLeadership;
    private JobMemory jobMemory;
    private SharedCrlFolder sharedCrls;
    /** Where the admin endpoint listens, published in the registry once it does. */
    private volatile String adminAddress;
    /** The cluster admin token's digest as last read, and when (read at most every {@link #DIGEST_TTL}). */
    private volatile Optional<byte[]> adminDigest = Optional.empty();
    private volatile long adminDigestReadAt = Long.MIN_VALUE;
    private static final Duration DIGEST_TTL = Duration.ofSeconds(10);
    /** Next hop and trusted networks applied live; set once James's configuration is rendered. */
    private volatile LiveSettings live;

    private ClusterLink(ClusterSettings settings, NodeSettings node, CuratorFramework client, ConfigWatcher watcher,
                        Optional<ZkKeyDirectory> keys, Optional<ZkPgpKeyDirectory> pgpKeys) {
        this.settings = settings;
        this.node = node;
        this.client = client;
        this.watcher = watcher;
        this.keys = keys;
        this.pgpKeys = pgpKeys;
        this.policy = new ClusterPolicyProvider(watcher::current);
    }

    static ClusterLink start(ClusterSettings settings, NodeSettings node, NodeLayout layout, AuditPublisher audit)
        throws IOException {
        DigestCredentials credentials = DigestCredentials.fromFile(settings.credentials());
        CuratorFramework client = ZkClients.node(settings.connect(), settings.namespace(), credentials,
            ClusterSettings.tls(layout.data()));
        ConfigWatcher watcher = ConfigWatchers.watch(client, layout.lastKnownGoodConfig());
        Optional<ClusterMasterKey> master = settings.keysInZooKeeper() ? masterKey(settings) : Optional.empty();
        Optional<ZkKeyDirectory> keys = settings.keysInZooKeeper()
            ? Optional.of(ZkKeyDirectories.forNode(client, credentials.identity(), master, layout.clusterKeysCopy()))
            : Optional.empty();
        Optional<ZkPgpKeyDirectory> pgpKeys = settings.keysInZooKeeper()
            ? Optional.of(ZkPgpKeyDirectories.forNode(client, credentials.identity(), master, layout.clusterPgpKeysCopy()))
            : Optional.empty();
        ClusterLink link = new ClusterLink(settings, node, client, watcher, keys, pgpKeys);
        if (settings.keysInZooKeeper()) {
            link.discoveredKeys = Optional.of(ZkDiscoveredKeyStores.forNode(client, credentials.identity(),
                layout.clusterDiscoveredKeysCopy()));
        }
        link.jobLeadership = JobLeaderships.elect(client, credentials.identity(), settings.nodeId());
        link.jobMemory = new JobMemory(client, credentials.identity());
        link.sharedCrls = SharedCrlFolders.watch(client, credentials.identity());
        link.registration = NodeRegistry.register(client, credentials.identity(), settings.nodeId(), link::status,
            NodeRegistry.DEFAULT_REFRESH, Optional.of(layout.clusterStatus()));
        watcher.listenable().addListener(new ConfigListener() {
            @Override
            public void configChanged(ConfigSnapshot snapshot) {
                LOGGER.info("Cluster configuration version {} now in force for mail ({})", snapshot.version(), snapshot.source());
                link.applyLive(snapshot);
                link.registration.refresh();
            }

            @Override
            public void configRefused(RejectedVersion rejected) {
                audit.publish(new AuditEvent(rejected.seenAt(), "config-version-" + rejected.version(), "cluster", "",
                    List.of(), "config-refused", "configuration version " + rejected.version() + " in ZooKeeper refused on node "
                        + settings.nodeId() + ", keeping version " + link.health().version().map(String::valueOf).orElse("none")
                        + ": " + rejected.reason()));
                link.registration.refresh();
            }
        });
        LOGGER.info("Node {} reading the cluster from ZooKeeper {} as {} (keys: {})", settings.nodeId(),
            settings.connect(), credentials, settings.keysInZooKeeper() ? "ZooKeeper" : "DATA/keys");
        client.start();
        watcher.start();
        keys.ifPresent(ZkKeyDirectory::start);
        pgpKeys.ifPresent(ZkPgpKeyDirectory::start);
        link.sharedCrls.start();
        link.discoveredKeys.ifPresent(ZkDiscoveredKeyStore::start);
        link.awaitFirstRead();
        link.registration.start();
        link.jobLeadership.start();
        return link;
    }

    /**
     * The settings the document decides, from the version in force now: James's configuration is rendered from
     * {@link LiveSettings#startSettings()}, and each later version is applied to them live.
     */
    LiveSettings liveSettings(NodeSettings configured) {
        LiveSettings settings = LiveSettings.fromDocument(configured, watcher.current().map(ConfigSnapshot::config));
        live = settings;
        // A version that came in between the read above and the assignment is applied now (apply is idempotent).
        watcher.current().ifPresent(this::applyLive);
        return settings;
    }

    private void applyLive(ConfigSnapshot snapshot) {
        LiveSettings settings = live;
        if (settings != null) {
            settings.apply(snapshot.config(), snapshot.version());
        }
    }

    private static Optional<ClusterMasterKey> masterKey(ClusterSettings settings) throws IOException {
        if (!Files.exists(settings.masterKey())) {
            LOGGER.error("No cluster master key at {}: managed users' keys cannot be opened on this node (no signing,"
                + " no decryption) until the file is there and the node restarts", settings.masterKey());
            return Optional.empty();
        }
        return Optional.of(ClusterMasterKey.fromFile(settings.masterKey()));
    }

    private void awaitFirstRead() {
        long deadline = System.nanoTime() + FIRST_READ.toNanos();
        try {
            client.blockUntilConnected((int) FIRST_READ.toMillis(), TimeUnit.MILLISECONDS);
            while (watcher.health().isStale() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (keys.isPresent()) {
                keys.get().awaitInitialized(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
            if (pgpKeys.isPresent()) {
                pgpKeys.get().awaitInitialized(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
            if (discoveredKeys.isPresent()) {
                discoveredKeys.get().awaitInitialized(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ConfigHealth health = watcher.health();
        if (health.isStale()) {
            LOGGER.warn("ZooKeeper not read within {} s, starting anyway: {}", FIRST_READ.toSeconds(), healthLine());
        } else {
            LOGGER.info("Cluster {}", healthLine());
        }
    }

    PolicyProvider policy() {
        return policy;
    }

    Optional<PgpKeyDirectory> pgpKeys() {
        return pgpKeys.map(PgpKeyDirectory.class::cast);
    }

    /** The cluster's discovered keys when the keys live in ZooKeeper; else each node keeps its own (DATA/keys). */
    Optional<DiscoveredKeyStore> discoveredKeys() {
        return discoveredKeys.map(DiscoveredKeyStore.class::cast);
    }

    Optional<KeyDirectory> keys() {
        return keys.map(KeyDirectory.class::cast);
    }

    /** The GINA portal as the cluster document names it ({@code gina: {host-name, port}}): the VIP's name. */
    java.util.Optional<java.net.URI> ginaPortal() {
        return watcher.current().map(snapshot -> snapshot.config().gina()).filter(gina -> gina != null && gina.hostName() != null)
            .map(gina -> java.net.URI.create("https://" + gina.hostName() + ":" + gina.port()));
    }

    ConfigHealth health() {
        return watcher.health();
    }

    /** When ZooKeeper recorded the version in force (the admin endpoint's config age). */
    Optional<Instant> configAppliedAt() {
        return watcher.current().map(ConfigSnapshot::appliedAt);
    }

    boolean zooKeeperConnected() {
        return client.getZookeeperClient().isConnected();
    }

    /** Configuration and keys in one line, as the registry and the logs show it. */
    String healthLine() {
        String restart = live == null ? null : live.restartRequired().orElse(null);
        return watcher.health().message() + keys.map(k -> "; " + k.describe()).orElse("")
            + pgpKeys.map(k -> "; " + k.describe()).orElse("")
            + discoveredKeys.map(k -> "; " + k.describe()).orElse("")
            + (restart == null ? "" : "; " + restart);
    }

    /** Publishes where the node's admin endpoint listens ({@code HOST:PORT}), for the console and the CLI. */
    void publishAdmin(String hostPort) {
        adminAddress = hostPort;
        if (registration != null) {
            registration.refresh();
        }
    }

    /**
     * The cluster admin token's SHA-256 (see ClusterAdminToken), cached {@link #DIGEST_TTL}: a flood of requests
     * does not become a flood of ZooKeeper reads. Empty while there is none or ZooKeeper cannot be read (then only
     * the node-local token works: fails closed).
     */
    Optional<byte[]> adminTokenDigest() {
        long now = System.nanoTime();
        if (adminDigestReadAt != Long.MIN_VALUE && now - adminDigestReadAt < DIGEST_TTL.toNanos()) {
            return adminDigest;
        }
        synchronized (this) {
            if (adminDigestReadAt == Long.MIN_VALUE || System.nanoTime() - adminDigestReadAt >= DIGEST_TTL.toNanos()) {
                try {
                    adminDigest = zooKeeperConnected() ? ClusterAdminToken.readDigest(client) : Optional.empty();
                } catch (ConfigStoreException e) {
                    LOGGER.warn("Cannot read the cluster admin token digest: {}", e.getMessage());
                    adminDigest = Optional.empty();
                }
                adminDigestReadAt = System.nanoTime();
            }
            return adminDigest;
        }
    }

    boolean isRegistered() {
        return registration != null && registration.isRegistered();
    }

    /** For fault tests: the client whose session a test expires. */
    CuratorFramework client() {
        return client;
    }

    private NodeStatus status() {
        Optional<ConfigSnapshot> snapshot = watcher.current();
        String role = snapshot.flatMap(s -> s.config().nodes().stream().filter(n -> n.id().equals(settings.nodeId())).findFirst())
            .map(NodeEntry::role).map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("unlisted");
        ConfigHealth health = watcher.health();
        return new NodeStatus(settings.nodeId(), List.of(node.smtpHost() + ":" + node.smtpPort()), role,
            health.version().orElse(0), health.staleSince().map(Instant::toString).orElse(null), healthLine(),
            started.toString(), adminAddress);
    }

    /** Whether this node runs the cluster's scheduled jobs now (one node at a time). */
    JobLeadership jobLeadership() {
        return jobLeadership;
    }

    /** What the jobs remember across leaders (expiry warnings sent), in ZooKeeper. */
    WarningLedger warningLedger() {
        return new WarningLedger() {
            @Override
            public boolean sent(String warning) throws Exception {
                return jobMemory.contains(warning);
            }

            @Override
            public void remember(String warning) throws Exception {
                jobMemory.remember(warning);
            }
        };
    }

    /** CRLs fetched by the nodes, shared in ZooKeeper ({@code /revocation/crls}); checked by whoever adopts one. */
    SharedCrls sharedCrls() {
        return sharedCrls;
    }

    /** The document's {@code notifications}, as the expiry warnings read them; empty when the document has none. */
    Optional<ExpiryWarningSettings> expiryWarnings() {
        return watcher.current().flatMap(snapshot -> snapshot.config().notifications())
            .map(n -> new ExpiryWarningSettings(n.adminAddress(), n.expiryWarningDays()));
    }

    @Override
    public void close() {
        if (jobLeadership != null) {
            jobLeadership.close(); // first: no job may start while the rest shuts down
        }
        if (registration != null) {
            registration.close();
        }
        keys.ifPresent(ZkKeyDirectory::close);
        pgpKeys.ifPresent(ZkPgpKeyDirectory::close);
        if (sharedCrls != null) {
            sharedCrls.close();
        }
        discoveredKeys.ifPresent(ZkDiscoveredKeyStore::close);
        watcher.close();
        client.close();
    }
}
