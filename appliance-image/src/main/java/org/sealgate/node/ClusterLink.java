package org.sealgate.node;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.watch.ConfigHealth;
import org.sealgate.zk.watch.ConfigWatcher;
import org.sealgate.zk.watch.ConfigWatchers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's connection to the cluster configuration: a read-only Curator client and the {@link ConfigWatcher}
 * whose snapshot the mail pipeline's policy reads. Started before James so the first mail already sees the
 * cluster's policy; if ZooKeeper cannot be reached the node starts anyway from its last-known-good file.
 */
final class ClusterLink implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ClusterLink.class);
    /** How long start() waits for ZooKeeper before going on with whatever the last-known-good file holds. */
    private static final Duration FIRST_READ = Duration.ofSeconds(10);

    private final CuratorFramework client;
    private final ConfigWatcher watcher;
    private final PolicyProvider policy;

    private ClusterLink(CuratorFramework client, ConfigWatcher watcher) {
        this.client = client;
        this.watcher = watcher;
        this.policy = new ClusterPolicyProvider(watcher::current);
    }

    static ClusterLink start(ClusterSettings settings, NodeLayout layout) throws IOException {
        DigestCredentials credentials = DigestCredentials.fromFile(settings.credentials());
        CuratorFramework client = ZkClients.node(settings.connect(), settings.namespace(), credentials);
        ConfigWatcher watcher = ConfigWatchers.watch(client, layout.lastKnownGoodConfig());
        ClusterLink link = new ClusterLink(client, watcher);
        watcher.listenable().addListener(snapshot -> LOGGER.info(
            "Cluster configuration version {} now in force for mail ({})", snapshot.version(), snapshot.source()));
        LOGGER.info("Node {} reading cluster configuration from ZooKeeper {} as {}", settings.nodeId(),
            settings.connect(), credentials);
        client.start();
        watcher.start();
        link.awaitFirstRead();
        return link;
    }

    private void awaitFirstRead() {
        long deadline = System.nanoTime() + FIRST_READ.toNanos();
        try {
            client.blockUntilConnected((int) FIRST_READ.toMillis(), TimeUnit.MILLISECONDS);
            while (watcher.health().isStale() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ConfigHealth health = watcher.health();
        if (health.isStale()) {
            LOGGER.warn("ZooKeeper not read within {} s, starting anyway: {}", FIRST_READ.toSeconds(), health.message());
        } else {
            LOGGER.info("Cluster {}", health.message());
        }
    }

    PolicyProvider policy() {
        return policy;
    }

    /** The GINA portal as the cluster document names it ({@code gina: {host-name, port}}): the VIP's name. */
    java.util.Optional<java.net.URI> ginaPortal() {
        return watcher.current().map(snapshot -> snapshot.config().gina()).filter(gina -> gina != null && gina.hostName() != null)
            .map(gina -> java.net.URI.create("https://" + gina.hostName() + ":" + gina.port()));
    }

    ConfigHealth health() {
        return watcher.health();
    }

    @Override
    public void close() {
        watcher.close();
        client.close();
    }
}
