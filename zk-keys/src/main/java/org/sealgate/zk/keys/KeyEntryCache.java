package org.sealgate.zk.keys;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both ZooKeeper key stores are built on: a {@link CuratorCache} over a key folder ({@code /keys} or
 * {@code /keys/pgp}), each entry parsed once per znode version (memo by path and mzxid) into the value the store
 * uses, a {@link LocalKeyCopy} of the raw entries to start from while ZooKeeper is unreachable, and the background
 * thread on which the copy and harvests ({@link HarvestWriter}) are written, so a mail never waits for ZooKeeper.
 * <p>
 * Only children of the given folders are entries; the rest of the tree (the folders themselves, another store's
 * subtree) is neither parsed nor copied. Connection states are handled one by one ({@link #onConnectionState}).
 */
final class KeyEntryCache {
    private static final Logger LOGGER = LoggerFactory.getLogger(KeyEntryCache.class);

    /** Turns an entry into the store's value; null, or an exception (logged once per version), when unusable. */
    @FunctionalInterface
    interface Parser {
        Object parse(String folder, String name, byte[] data);
    }

    /** Told about changes (from ZooKeeper, or a new snapshot wanted) and reconnections; called on Curator's threads. */
    interface Listener {
        default void entriesChanged() {
        }

        default void reconnected() {
        }
    }

    /** The parsed entries at one moment, by path in path order; a new object after every change. */
    record Snapshot(Map<String, Object> values) {
        static final Snapshot EMPTY = new Snapshot(Map.of());

        /** The usable values of one folder's entries, in path order. */
        <T> List<T> in(String folder, Class<T> type) {
            List<T> found = new ArrayList<>();
            values.forEach((path, value) -> {
                if (folder.equals(parentOf(path)) && type.isInstance(value)) {
                    found.add(type.cast(value));
                }
            });
            return found;
        }

        boolean contains(String path) {
            return values.containsKey(path);
        }
    }

    /** A parsed entry; value null when it could not be used. */
    private record Parsed(long mzxid, Object value) {
    }

    private final CuratorFramework client;
    private final String root;
    private final Set<String> folders;
    private final Parser parser;
    private final Optional<LocalKeyCopy> localCopy;
    private final CuratorCache cache;
    private final AtomicReference<ZkKeyStore.State> state = new AtomicReference<>(ZkKeyStore.State.LATENT);
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicBoolean copyPending = new AtomicBoolean();
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService background;
    private final ConnectionStateListener connectionListener = (c, newState) -> onConnectionState(newState);
    private volatile Map<String, byte[]> localEntries = Map.of();
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    /**
     * @param root       the subtree to cache, e.g. {@code /keys/pgp}
     * @param folders    the folders whose children are entries
     * @param localCopy  nodes: the file the raw entries are saved to and started from
     * @param threadName the background thread's name
     */
    KeyEntryCache(CuratorFramework client, String root, Set<String> folders, Parser parser,
                  Optional<LocalKeyCopy> localCopy, String threadName) {
        this.client = client;
        this.root = root;
        this.folders = Set.copyOf(folders);
        this.parser = parser;
        this.localCopy = localCopy;
        this.cache = CuratorCache.build(client, root);
        this.background = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Loads the local copy (if any), then starts the cache; does not wait for ZooKeeper. */
    void start(String storeName) {
        if (!state.compareAndSet(ZkKeyStore.State.LATENT, ZkKeyStore.State.STARTED)) {
            throw new IllegalStateException("a " + storeName + " starts once; this one is " + state.get());
        }
        localCopy.ifPresent(copy -> {
            try {
                localEntries = Collections.unmodifiableMap(copy.read());
                if (!localEntries.isEmpty()) {
                    LOGGER.info("{}: {} entries from the local copy {} until ZooKeeper is read", storeName,
                        localEntries.size(), copy.file());
                }
            } catch (IOException | RuntimeException e) {
                LOGGER.error("Local key copy {} is unusable, ignoring it: {}", copy.file(), e.toString());
            }
        });
        client.getConnectionStateListenable().addListener(connectionListener);
        cache.listenable().addListener(CuratorCacheListener.builder()
            .forAll((type, before, after) -> changed())
            .forInitialized(() -> {
                initialized.countDown();
                changed();
            })
            .build());
        cache.start();
    }

    /** Idempotent; pending background work (a copy, harvests not yet written) is dropped. */
    void close() {
        if (state.getAndSet(ZkKeyStore.State.CLOSED) == ZkKeyStore.State.STARTED) {
            client.getConnectionStateListenable().removeListener(connectionListener);
            cache.close();
            background.shutdownNow();
        }
        listeners.clear();
    }

    ZkKeyStore.State state() {
        return state.get();
    }

    boolean awaitInitialized(Duration timeout) throws InterruptedException {
        return initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isInitialized() {
        return initialized.getCount() == 0;
    }

    ZkKeyStore.Source source() {
        if (isInitialized()) {
            return ZkKeyStore.Source.ZOOKEEPER;
        }
        return localEntries.isEmpty() ? ZkKeyStore.Source.NONE : ZkKeyStore.Source.LOCAL_COPY;
    }

    /** For health lines: {@code from ZooKeeper}, {@code from the local copy (…)} or {@code none yet (…)}. */
    String describeSource() {
        return switch (source()) {
            case ZOOKEEPER -> "from ZooKeeper";
            case LOCAL_COPY -> "from the local copy (ZooKeeper not read yet)";
            case NONE -> "none yet (ZooKeeper not read)";
        };
    }

    /** Whether ZooKeeper (as cached) holds the path; false until the cache is initialized. */
    boolean inZooKeeper(String path) {
        return cache.get(path).isPresent();
    }

    /** The cached entry's last modification (mzxid), -1 when the cache does not hold it. */
    long modified(String path) {
        return cache.get(path).map(data -> data.getStat().getMzxid()).orElse(-1L);
    }

    /** Runs work on the background thread (nothing once closed). */
    void execute(Runnable work) {
        if (state.get() == ZkKeyStore.State.STARTED) {
            try {
                background.execute(work);
            } catch (RejectedExecutionException e) {
                LOGGER.debug("Closed meanwhile: {}", e.toString());
            }
        }
    }

    /** A new snapshot is wanted, e.g. because what a store adds to it (its pending harvests) changed. */
    void invalidate() {
        dirty.set(true);
    }

    /** The entries in use: ZooKeeper's once the cache is initialized, the local copy's until then. */
    Snapshot snapshot() {
        if (dirty.compareAndSet(true, false)) {
            synchronized (this) {
                snapshot = build();
            }
        }
        return snapshot;
    }

    /** Each state on purpose: what we serve stays in memory (and in the copy); only a reconnection needs work. */
    private void onConnectionState(ConnectionState newState) {
        if (state.get() != ZkKeyStore.State.STARTED) {
            return;
        }
        switch (newState) {
            case SUSPENDED -> LOGGER.warn("Connection to ZooKeeper suspended: keys under {} served from memory", root);
            case LOST -> LOGGER.warn("ZooKeeper session lost: keys under {} served from memory until reconnected", root);
            case READ_ONLY -> LOGGER.warn("Connected to a read-only ZooKeeper server: keys under {} may be behind", root);
            case RECONNECTED -> {
                // The cache re-reads its tree by itself; we rebuild, rewrite the copy and let the store retry its writes.
                LOGGER.info("Reconnected to ZooKeeper: re-reading keys under {}", root);
                changed();
                listeners.forEach(Listener::reconnected);
            }
            default -> LOGGER.debug("Connection state {} needs nothing", newState);
        }
    }

    private void changed() {
        dirty.set(true);
        listeners.forEach(Listener::entriesChanged);
        if (localCopy.isPresent() && isInitialized() && copyPending.compareAndSet(false, true)) {
            execute(this::writeLocalCopy);
        }
    }

    private void writeLocalCopy() {
        copyPending.set(false);
        try {
            localCopy.orElseThrow().write(rawEntries());
        } catch (IOException | RuntimeException e) {
            LOGGER.error("Cannot save the local key copy: {}", e.toString());
        }
    }

    private Map<String, byte[]> rawEntries() {
        Map<String, byte[]> entries = new TreeMap<>();
        cache.stream().filter(d -> isEntry(d.getPath()) && d.getData() != null && d.getData().length > 0)
            .forEach(d -> entries.put(d.getPath(), d.getData()));
        return entries;
    }

    private Snapshot build() {
        Map<String, Long> versions = new TreeMap<>();
        Map<String, byte[]> data = new TreeMap<>();
        if (isInitialized()) {
            cache.stream().filter(d -> isEntry(d.getPath())).forEach(d -> {
                versions.put(d.getPath(), d.getStat().getMzxid());
                data.put(d.getPath(), d.getData());
            });
        } else {
            localEntries.forEach((path, bytes) -> {
                if (isEntry(path)) {
                    versions.put(path, -1L);   // the copy never changes while in use: one parse per path too
                    data.put(path, bytes);
                }
            });
        }
        Map<String, Object> values = new LinkedHashMap<>();
        data.forEach((path, bytes) -> {
            Object value = parse(path, bytes, versions.get(path));
            if (value != null) {
                values.put(path, value);
            }
        });
        parsed.keySet().retainAll(data.keySet());   // forget entries deleted meanwhile
        return new Snapshot(Collections.unmodifiableMap(values));
    }

    /** The entry's value, parsed once per znode version; null for unusable entries. */
    private Object parse(String path, byte[] data, long mzxid) {
        if (data == null || data.length == 0) {
            return null;
        }
        Parsed known = parsed.get(path);
        if (known != null && known.mzxid() == mzxid) {
            return known.value();
        }
        Object value = null;
        try {
            value = parser.parse(parentOf(path), path.substring(path.lastIndexOf('/') + 1), data);
        } catch (RuntimeException e) {
            LOGGER.warn("Skipping unusable key entry {}: {}", path, e.getMessage());
        }
        parsed.put(path, new Parsed(mzxid, value));
        return value;
    }

    private boolean isEntry(String path) {
        return folders.contains(parentOf(path));
    }

    static String parentOf(String path) {
        return path.substring(0, Math.max(0, path.lastIndexOf('/')));
    }
}
