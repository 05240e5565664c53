package org.sealgate.zk.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's harvested keys on their way to a harvest folder ({@code /keys/harvested}, {@code /keys/pgp/harvested}):
 * written on the cache's background thread (a mail never waits for ZooKeeper), kept as pending (and usable on this
 * node) until the cache shows them, and written again after a reconnection if ZooKeeper was unreachable. The node
 * may only create there; each entry gets the node's identity with READ, so it cannot change or delete it later.
 *
 * @param <T> what is harvested (an X.509 certificate, an OpenPGP certificate), named by its fingerprint
 */
final class HarvestWriter<T> implements KeyEntryCache.Listener {
    private static final Logger LOGGER = LoggerFactory.getLogger(HarvestWriter.class);

    private final CuratorFramework client;
    private final Id node;
    private final KeyEntryCache entries;
    private final String folder;
    private final List<String> storedIn;
    private final Function<T, byte[]> encoder;
    private final Map<String, T> pending = new ConcurrentHashMap<>();
    private volatile List<ACL> entryAcl;

    /**
     * @param folder   where the node creates its harvests
     * @param storedIn folders whose entry of the same name makes a pending harvest stored (the harvest folder and
     *                 the imported one)
     */
    HarvestWriter(CuratorFramework client, Id node, KeyEntryCache entries, String folder, List<String> storedIn,
                  Function<T, byte[]> encoder) {
        this.client = client;
        this.node = node;
        this.entries = entries;
        this.folder = folder;
        this.storedIn = List.copyOf(storedIn);
        this.encoder = encoder;
        entries.addListener(this);
    }

    /** Usable here at once, written in the background; nothing once the store is no longer started. */
    void harvest(String name, T value) {
        if (entries.state() != ZkKeyStore.State.STARTED) {
            return;
        }
        pending.put(name, value);
        entries.invalidate();
        submit(name, value);
    }

    /** Pending harvests by name (a live view). */
    Map<String, T> pending() {
        return pending;
    }

    /** Drops pending harvests removed on purpose. */
    void forget(Predicate<T> which) {
        if (pending.values().removeIf(which)) {
            entries.invalidate();
        }
    }

    /** Drops what the cache now holds. */
    @Override
    public void entriesChanged() {
        pending.keySet().removeIf(name -> storedIn.stream().anyMatch(f -> entries.inZooKeeper(ZkLayout.child(f, name))));
    }

    /** ZooKeeper is back: whatever could not be written is tried again. */
    @Override
    public void reconnected() {
        if (!pending.isEmpty()) {
            LOGGER.info("Writing {} pending harvest(s) to {} after reconnecting", pending.size(), folder);
        }
        pending.forEach(this::submit);
    }

    private void submit(String name, T value) {
        String path = ZkLayout.child(folder, name);
        entries.execute(() -> {
            if (!pending.containsKey(name)) {
                return;   // stored or removed meanwhile
            }
            try {
                if (entryAcl == null) {
                    entryAcl = ConfigAcls.createdByNode(client.getData().forPath(folder), node, Perms.READ);
                }
                client.create().withMode(CreateMode.PERSISTENT).withACL(new ArrayList<>(entryAcl))
                    .forPath(path, encoder.apply(value));
                LOGGER.info("Harvested key stored for the cluster: {}", path);
            } catch (KeeperException.NodeExistsException e) {
                LOGGER.debug("{} exists already", path);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // Stays pending: usable here, written again after the next reconnection.
                LOGGER.warn("Cannot store harvested key {} in ZooKeeper yet: {}", path, e.toString());
            }
        });
    }
}
