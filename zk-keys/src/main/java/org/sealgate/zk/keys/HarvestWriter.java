package org.sealgate.zk.keys;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.sealgate.keys.Fingerprints;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's harvested certificates on their way to {@code /keys/harvested}: written on a background thread (a mail
 * never waits for ZooKeeper), kept as pending (and usable on this node) until the cache shows them, and written
 * again after a reconnection if ZooKeeper was unreachable.
 */
final class HarvestWriter {
    private static final Logger LOGGER = LoggerFactory.getLogger(HarvestWriter.class);

    private final CuratorFramework client;
    private final Id node;
    private final Executor background;
    private final Map<String, X509Certificate> pending = new ConcurrentHashMap<>();
    private volatile List<ACL> entryAcl;

    HarvestWriter(CuratorFramework client, Id node, Executor background) {
        this.client = client;
        this.node = node;
        this.background = background;
    }

    void harvest(X509Certificate certificate) {
        pending.put(Fingerprints.sha256(certificate), certificate);
        submit(certificate);
    }

    void resendPending() {
        pending.values().forEach(this::submit);
    }

    /** Pending certificates by fingerprint (a live view). */
    Map<String, X509Certificate> pending() {
        return pending;
    }

    /** Drops what the cache now holds (or what was removed on purpose). */
    void forget(Predicate<Map.Entry<String, X509Certificate>> which) {
        pending.entrySet().removeIf(which);
    }

    private void submit(X509Certificate certificate) {
        String path = ZkLayout.child(ZkLayout.HARVESTED, Fingerprints.sha256(certificate));
        background.execute(() -> {
            try {
                if (entryAcl == null) {
                    entryAcl = ConfigAcls.createdByNode(client.getData().forPath(ZkLayout.HARVESTED), node, Perms.READ);
                }
                client.create().withMode(CreateMode.PERSISTENT).withACL(new ArrayList<>(entryAcl))
                    .forPath(path, KeyEntries.pem(certificate));
                LOGGER.info("Harvested certificate stored for the cluster: {}", path);
            } catch (KeeperException.NodeExistsException e) {
                LOGGER.debug("{} exists already", path);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // Stays pending: usable here, written again after the next reconnection.
                LOGGER.warn("Cannot store harvested certificate {} in ZooKeeper yet: {}", path, e.toString());
            }
        });
    }
}
