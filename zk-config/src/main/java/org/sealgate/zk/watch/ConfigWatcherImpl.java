package org.sealgate.zk.watch;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.listen.Listenable;
import org.apache.curator.framework.listen.StandardListenerManager;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.InvalidConfigException;
import org.sealgate.zk.store.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code /config} with a single-node {@link CuratorCache}. Every candidate version goes through
 * {@link #offer}, which is serialised, so the snapshot reference only ever moves forward to validated documents.
 * Connection states are handled one by one (see {@link #handleStateChange}); the cache re-establishes its own
 * watch after a reconnection, and we additionally re-read {@code /config} to know when we are current again.
 */
final class ConfigWatcherImpl implements ConfigWatcher {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConfigWatcherImpl.class);

    private final CuratorFramework client;
    private final LastKnownGood lastKnownGood;
    private final Clock clock;
    private final CuratorCache cache;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final AtomicReference<ConfigSnapshot> current = new AtomicReference<>();
    private final AtomicReference<Instant> staleSince = new AtomicReference<>();
    private final AtomicReference<RejectedVersion> lastRejected = new AtomicReference<>();
    private final StandardListenerManager<ConfigListener> listeners = StandardListenerManager.standard();
    private final ConnectionStateListener connectionStateListener = (c, newState) -> handleStateChange(newState);

    ConfigWatcherImpl(CuratorFramework client, LastKnownGood lastKnownGood, Clock clock) {
        this.client = client;
        this.lastKnownGood = lastKnownGood;
        this.clock = clock;
        this.cache = CuratorCache.build(client, ZkLayout.CONFIG, CuratorCache.Options.SINGLE_NODE_CACHE);
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("a ConfigWatcher starts once; this one is " + state.get());
        }
        // Stale until ZooKeeper has been read: whatever we serve until then may be behind the cluster.
        staleSince.set(clock.instant());
        loadLastKnownGood();
        client.getConnectionStateListenable().addListener(connectionStateListener);
        cache.listenable().addListener(CuratorCacheListener.builder()
            .forCreatesAndChanges((before, after) -> offer(after.getData(), after.getStat()))
            .forDeletes(gone -> LOGGER.warn("{} was deleted in ZooKeeper; keeping configuration version {}",
                ZkLayout.CONFIG, versionInForce()))
            .build());
        cache.start();
        if (client.getZookeeperClient().isConnected()) {
            reread("start");
        }
    }

    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.STARTED) {
            client.getConnectionStateListenable().removeListener(connectionStateListener);
            cache.close();
            listeners.clear();
        }
    }

    @Override
    public Optional<ConfigSnapshot> current() {
        return Optional.ofNullable(current.get());
    }

    @Override
    public ConfigHealth health() {
        ConfigSnapshot snapshot = current.get();
        RejectedVersion rejected = lastRejected.get();
        boolean rejectedIsNewer = rejected != null && (snapshot == null || rejected.version() > snapshot.version());
        return new ConfigHealth(Optional.ofNullable(snapshot).map(ConfigSnapshot::version),
            Optional.ofNullable(staleSince.get()),
            Optional.ofNullable(snapshot).map(ConfigSnapshot::source),
            rejectedIsNewer ? Optional.of(rejected) : Optional.empty());
    }

    @Override
    public Listenable<ConfigListener> listenable() {
        return listeners;
    }

    @Override
    public State state() {
        return state.get();
    }

    /** Each state on purpose, as LeaderLatch does: what we serve stays; only our claim to be current changes. */
    private void handleStateChange(ConnectionState newState) {
        switch (newState) {
            case SUSPENDED -> markStale("connection to ZooKeeper suspended");
            case LOST -> markStale("ZooKeeper session lost");
            // A read-only server has no quorum: what it says may be behind the majority.
            case READ_ONLY -> markStale("connected to a read-only ZooKeeper server");
            case CONNECTED, RECONNECTED -> reread(newState.name().toLowerCase(java.util.Locale.ROOT));
            default -> LOGGER.debug("Connection state {} needs nothing", newState);
        }
    }

    private void markStale(String why) {
        if (staleSince.compareAndSet(null, clock.instant())) {
            LOGGER.warn("{}; serving configuration version {} until ZooKeeper is back", why, versionInForce());
        }
    }

    /** Reads /config once; success proves we are connected and current, so the stale mark goes. */
    private void reread(String why) {
        try {
            client.getData().inBackground((c, event) -> onReread(event, why)).forPath(ZkLayout.CONFIG);
        } catch (Exception e) {
            LOGGER.warn("Cannot re-read {} after {}: {}", ZkLayout.CONFIG, why, e.toString());
        }
    }

    private void onReread(CuratorEvent event, String why) {
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        if (code == KeeperException.Code.OK) {
            offer(event.getData(), event.getStat());
        } else if (code != KeeperException.Code.NONODE) {
            LOGGER.warn("Re-reading {} after {} failed: {}; still stale", ZkLayout.CONFIG, why, code);
            return;
        }
        if (state.get() == State.STARTED && staleSince.getAndSet(null) != null) {
            LOGGER.info("Configuration up to date with ZooKeeper again (version {})", versionInForce());
        }
    }

    /** The one place a version can come into force: validated, saved locally, swapped, then announced. */
    private synchronized void offer(byte[] data, Stat stat) {
        if (state.get() != State.STARTED || data == null || stat == null) {
            return;
        }
        int version = stat.getVersion();
        ConfigSnapshot inForce = current.get();
        if (version == 0 && data.length == 0) {
            return; // initialised, nothing applied yet
        }
        if (inForce != null && inForce.source() == ConfigSnapshot.Source.ZOOKEEPER && version < inForce.version()) {
            LOGGER.debug("Ignoring version {}: version {} is already in force", version, inForce.version());
            return;
        }
        if (inForce != null && version == inForce.version() && Arrays.equals(data, inForce.document().bytes())) {
            current.set(inForce.from(ConfigSnapshot.Source.ZOOKEEPER)); // same content, now confirmed by ZooKeeper
            return;
        }
        RejectedVersion rejected = lastRejected.get();
        if (rejected != null && rejected.version() == version) {
            return; // refused and logged already
        }
        ConfigDocument document;
        try {
            document = ConfigDocument.parse(data);
        } catch (InvalidConfigException e) {
            RejectedVersion refused = new RejectedVersion(version, clock.instant(), e.getMessage());
            lastRejected.set(refused);
            LOGGER.error("Configuration version {} in ZooKeeper refused, keeping version {}: {}",
                version, versionInForce(), e.getMessage());
            listeners.forEach(listener -> listener.configRefused(refused));
            return;
        }
        ConfigSnapshot snapshot = new ConfigSnapshot(document, version, Instant.ofEpochMilli(stat.getMtime()),
            ConfigSnapshot.Source.ZOOKEEPER);
        try {
            lastKnownGood.write(snapshot);
        } catch (IOException e) {
            // Still apply: serving the cluster's config matters more than the local copy; the next version retries.
            LOGGER.error("Cannot save configuration version {} to {}: {}", version, lastKnownGood.file(), e.toString());
        }
        current.set(snapshot);
        LOGGER.info("Configuration version {} in force (was {})", version, inForce == null ? "none" : inForce.version());
        announce(snapshot);
    }

    private void loadLastKnownGood() {
        try {
            lastKnownGood.read().ifPresent(snapshot -> {
                current.set(snapshot);
                LOGGER.info("Starting from configuration version {} in {}", snapshot.version(), lastKnownGood.file());
                announce(snapshot);
            });
        } catch (IOException | InvalidConfigException | RuntimeException e) {
            LOGGER.error("Last-known-good file {} is unusable, ignoring it: {}", lastKnownGood.file(), e.getMessage());
        }
    }

    private void announce(ConfigSnapshot snapshot) {
        listeners.forEach(listener -> listener.configChanged(snapshot));
    }

    private String versionInForce() {
        ConfigSnapshot snapshot = current.get();
        return snapshot == null ? "none" : Integer.toString(snapshot.version());
    }
}
