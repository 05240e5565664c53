package org.sealgate.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

import org.sealgate.admin.NodeView;
import org.sealgate.admin.QueueStats;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.zk.watch.ConfigHealth;

/** The running node as its admin endpoint sees it: James's queues, the queue store, the policy and cluster link. */
final class NodeAdminView implements NodeView {
    /** ActiveMQ blocks producers when its store's disk is nearly full: below this, the queue counts as not writable. */
    private static final long MIN_FREE_BYTES = 64L * 1024 * 1024;
    private static final Duration QUEUE_CACHE = Duration.ofSeconds(1);

    private final Supplier<Optional<QueueProbe>> queues;
    private final Path queueStore;
    private volatile PolicyProvider policy;
    private volatile ClusterLink cluster;
    private final Clock clock;
    private QueueStats cached;
    private Instant cachedAt;

    /**
     * {@code queues} is empty until James has started. Until {@link #attach} the node has no policy: the
     * configuration counts as not current.
     */
    NodeAdminView(Supplier<Optional<QueueProbe>> queues, Path queueStore, Clock clock) {
        this.queues = queues;
        this.queueStore = queueStore;
        this.clock = clock;
    }

    /** The policy in force and the cluster link ({@code null} for a standalone node), once the node has them. */
    void attach(PolicyProvider policyInForce, ClusterLink link) {
        this.cluster = link;
        this.policy = policyInForce;
    }

    @Override
    public synchronized QueueStats queues() throws IOException {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(cachedAt.plus(QUEUE_CACHE))) {
            QueueProbe probe = queues.get().orElseThrow(() -> new IOException("mail queue not started"));
            cached = probe.stats();
            cachedAt = now;
        }
        return cached;
    }

    @Override
    public long queuedMails() throws IOException {
        return queues.get().orElseThrow(() -> new IOException("mail queue not started")).total();
    }

    @Override
    public Optional<String> queueProblem() {
        try {
            queuedMails();
        } catch (IOException e) {
            return Optional.of("queue: " + e.getMessage());
        }
        if (!Files.isDirectory(queueStore) || !Files.isWritable(queueStore)) {
            return Optional.of("queue: store not writable");
        }
        try {
            long free = Files.getFileStore(queueStore).getUsableSpace();
            if (free < MIN_FREE_BYTES) {
                return Optional.of("queue: store nearly full (" + free / (1024 * 1024) + " MiB free)");
            }
        } catch (IOException e) {
            return Optional.of("queue: store not readable");
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> configProblem() {
        PolicyProvider policy = this.policy;
        ClusterLink cluster = this.cluster;
        if (policy == null) {
            return Optional.of("config: not loaded yet");
        }
        if (cluster != null) {
            ConfigHealth health = cluster.health();
            if (health.isStale() || health.version().isEmpty()) {
                return Optional.of(health.message());
            }
        }
        return policy.unavailable().map(reason -> "config: no policy in force: " + reason);
    }

    @Override
    public OptionalInt configVersion() {
        ClusterLink cluster = this.cluster;
        return cluster == null ? OptionalInt.empty()
            : cluster.health().version().map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    @Override
    public Optional<Instant> configAppliedAt() {
        ClusterLink cluster = this.cluster;
        return cluster == null ? Optional.empty() : cluster.configAppliedAt();
    }

    @Override
    public Optional<Instant> configStaleSince() {
        ClusterLink cluster = this.cluster;
        return cluster == null ? Optional.empty() : cluster.health().staleSince();
    }

    @Override
    public Optional<Boolean> zooKeeperConnected() {
        ClusterLink cluster = this.cluster;
        return cluster == null ? Optional.empty() : Optional.of(cluster.zooKeeperConnected());
    }
}
