package org.sealgate.zk.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeyIndex;
import org.sealgate.keys.discovery.DiscoveredKeys;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * See {@link ZkDiscoveredKeyStore}. A node's finds wait in {@link #pending} (usable here, newer than the cache) until
 * the cache shows the version written; writes read ZooKeeper's entry first and merge with it, conditional on its
 * version, so two nodes storing copies of one key at once both end up in it (a revocation is never lost).
 */
final class ZkDiscoveredKeyStoreImpl implements ZkDiscoveredKeyStore, KeyEntryCache.Listener {
    private static final Logger LOGGER = LoggerFactory.getLogger(ZkDiscoveredKeyStoreImpl.class);
    private static final String FOLDER = ZkLayout.DISCOVERED;
    /** Conditional writes lost to another node's write of the same key are retried this often, then left pending. */
    private static final int WRITE_ATTEMPTS = 5;

    private final CuratorFramework client;
    private final Optional<Id> node;
    private final KeyEntryCache entries;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile List<ACL> entryAcl;
    private volatile Index index = new Index(null, DiscoveredKeyIndex.EMPTY);

    /** A find on its way to ZooKeeper; {@code written} is the mzxid of the write once it succeeded. */
    private static final class Pending {
        final DiscoveredKey key;
        volatile long written = Long.MAX_VALUE;

        Pending(DiscoveredKey key) {
            this.key = key;
        }
    }

    ZkDiscoveredKeyStoreImpl(CuratorFramework client, Optional<Id> node, Optional<LocalKeyCopy> localCopy) {
        this.client = client;
        this.node = node;
        this.entries = new KeyEntryCache(client, FOLDER, Set.of(FOLDER), DiscoveredEntries::decodeEntry, localCopy,
            "sealgate-zk-discovered-keys");
        entries.addListener(this);
    }

    @Override
    public void start() {
        entries.start("ZkDiscoveredKeyStore");
    }

    @Override
    public boolean awaitInitialized(Duration timeout) throws InterruptedException {
        return entries.awaitInitialized(timeout);
    }

    @Override
    public Source source() {
        return entries.source();
    }

    @Override
    public String describe() {
        return "discovered keys " + entries.describeSource() + ": " + all().size()
            + (pending.isEmpty() ? "" : ", " + pending.size() + " not yet stored");
    }

    @Override
    public State state() {
        return entries.state();
    }

    @Override
    public void close() {
        entries.close();
    }

    // ---- reads: from memory ----

    @Override
    public List<DiscoveredKey> keysFor(String address) {
        return index().keys().keysFor(address);
    }

    /** ZooKeeper's entries with this node's pending finds over them, newest first. */
    @Override
    public List<DiscoveredKey> all() {
        return index().keys().all();
    }

    /**
     * The keys as of the cache's current snapshot, indexed by address; rebuilt only when the snapshot is a new one.
     * Every change of {@link #pending} invalidates the cache's snapshot, so an index never outlives the pending finds
     * it was built with.
     */
    private Index index() {
        KeyEntryCache.Snapshot now = entries.snapshot();
        Index current = index;
        if (current.from() == now) {
            return current;
        }
        Map<String, DiscoveredKey> byName = new LinkedHashMap<>();
        for (DiscoveredKey key : now.in(FOLDER, DiscoveredKey.class)) {
            byName.put(DiscoveredKeys.identity(key), key);
        }
        pending.forEach((name, find) -> byName.merge(name, find.key, DiscoveredKeys::merge));
        Index built = new Index(now, DiscoveredKeyIndex.of(byName.values()));
        index = built;
        return built;
    }

    /** The keys of one snapshot with the pending finds over them. */
    private record Index(KeyEntryCache.Snapshot from, DiscoveredKeyIndex keys) {
    }

    // ---- writes ----

    /** On a node: usable here at once, written in the background. For an admin: written now. */
    @Override
    public void store(DiscoveredKey key) {
        DiscoveredKey found = new DiscoveredKey(key.kind(), Addresses.normalise(key.address()), key.source(),
            key.foundAt(), key.certificate(), key.pgpCertificate());
        String name = DiscoveredKeys.identity(found);
        if (node.isEmpty()) {
            write(name, found);
            return;
        }
        if (entries.state() != State.STARTED) {
            return;
        }
        Pending find = new Pending(pending.containsKey(name) ? DiscoveredKeys.merge(pending.get(name).key, found) : found);
        pending.put(name, find);
        entries.invalidate();
        submit(name, find);
    }

    /** Reads ZooKeeper itself (not the cache), so what was just listed is what goes. */
    @Override
    public int remove(String address) {
        String wanted = Addresses.normalise(address);
        return removeWhere(key -> key.address().equals(wanted), "address " + wanted);
    }

    /** The job leader's eviction of keys past their maximum age. */
    @Override
    public int removeFoundBefore(Instant cutoff) {
        return removeWhere(key -> key.foundAt().isBefore(cutoff), "found before " + cutoff);
    }

    private int removeWhere(Predicate<DiscoveredKey> which, String what) {
        if (pending.values().removeIf(find -> which.test(find.key))) {
            entries.invalidate();
        }
        int removed = 0;
        for (String name : children()) {
            String path = ZkLayout.child(FOLDER, name);
            try {
                Stat stat = new Stat();
                byte[] data = client.getData().storingStatIn(stat).forPath(path);
                DiscoveredKey key = DiscoveredEntries.decodeOrNull(name, data);
                // Unusable entries go too: they are nobody's key.
                if (key == null || which.test(key)) {
                    client.delete().withVersion(stat.getVersion()).forPath(path);
                    removed++;
                }
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
                LOGGER.debug("{} changed meanwhile, left for the next run: {}", path, e.toString());
            } catch (Exception e) {
                throw failed("remove discovered keys (" + what + ")", e);
            }
        }
        return removed;
    }

    private List<String> children() {
        try {
            return client.getChildren().forPath(FOLDER);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw failed("list " + FOLDER, e);
        }
    }

    private void submit(String name, Pending find) {
        entries.execute(() -> {
            if (pending.get(name) != find) {
                return;   // replaced or removed meanwhile
            }
            try {
                find.written = write(name, find.key);
                entriesChanged();
                LOGGER.info("Discovered key stored for the cluster: {}", ZkLayout.child(FOLDER, name));
            } catch (KeyStoreException e) {
                // Stays pending: usable here, written again after the next reconnection.
                LOGGER.warn("Cannot store discovered key {} in ZooKeeper yet: {}", name, e.getMessage());
            }
        });
    }

    /** Creates the entry or merges into it (conditional on the version read); returns the written mzxid. */
    private long write(String name, DiscoveredKey found) {
        String path = ZkLayout.child(FOLDER, name);
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            try {
                Stat stat = new Stat();
                byte[] existing;
                try {
                    existing = client.getData().storingStatIn(stat).forPath(path);
                } catch (KeeperException.NoNodeException e) {
                    existing = null;
                }
                if (existing == null) {
                    Stat created = new Stat();
                    client.create().storingStatIn(created).withMode(CreateMode.PERSISTENT)
                        .withACL(new ArrayList<>(entryAcl())).forPath(path, DiscoveredEntries.encode(found));
                    return created.getMzxid();
                }
                DiscoveredKey stored = DiscoveredEntries.decodeOrNull(name, existing);
                DiscoveredKey merged = stored == null ? found : DiscoveredKeys.merge(stored, found);
                return client.setData().withVersion(stat.getVersion()).forPath(path, DiscoveredEntries.encode(merged))
                    .getMzxid();
            } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException e) {
                LOGGER.debug("{} written by another node meanwhile (attempt {}), merging again", path, attempt);
            } catch (Exception e) {
                throw failed("write " + path, e);
            }
        }
        throw new KeyStoreException("cannot write " + path + ": changed by others " + WRITE_ATTEMPTS + " times in a row",
            false, null);
    }

    /** Admins ALL; nodes READ and WRITE (any node may merge a newer copy into an entry another node created). */
    private List<ACL> entryAcl() throws Exception {
        if (entryAcl == null) {
            if (node.isPresent()) {
                entryAcl = ConfigAcls.createdByNode(client.getData().forPath(FOLDER), node.get(), Perms.READ | Perms.WRITE);
            } else {
                List<ACL> acl = new ArrayList<>();
                for (ACL entry : client.getACL().forPath(FOLDER)) {
                    acl.add(entry.getPerms() == Perms.ALL ? entry : new ACL(Perms.READ | Perms.WRITE, entry.getId()));
                }
                entryAcl = List.copyOf(acl);
            }
        }
        return entryAcl;
    }

    /** Drops pending finds once the cache shows the version written (or a later one). */
    @Override
    public void entriesChanged() {
        if (pending.entrySet().removeIf(e -> entries.modified(ZkLayout.child(FOLDER, e.getKey())) >= e.getValue().written)) {
            entries.invalidate();
        }
    }

    /** ZooKeeper is back: whatever could not be written is tried again. */
    @Override
    public void reconnected() {
        if (!pending.isEmpty()) {
            LOGGER.info("Writing {} pending discovered key(s) to {} after reconnecting", pending.size(), FOLDER);
        }
        pending.forEach(this::submit);
    }

    private static KeyStoreException failed(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (e instanceof KeeperException.NoAuthException) {
            return new KeyStoreException("cannot " + what + ": not allowed for this identity (ZooKeeper NoAuth)", true, e);
        }
        return new KeyStoreException("cannot " + what + ": " + e, false, e);
    }
}
