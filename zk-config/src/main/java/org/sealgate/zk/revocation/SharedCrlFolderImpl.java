package org.sealgate.zk.revocation;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /revocation/crls} through a {@link CuratorCache}. Reads are local; writes go to one background thread with
 * a short queue (a flood of publications is dropped, not queued without end: the CRLs stay fetchable anyway). The
 * cache re-establishes itself after a reconnect and serves its last copy meanwhile; that copy can only be outdated,
 * and an outdated CRL is refused by the cache that reads it (stale or older than held), so connection states need
 * no handling here. Entries are untrusted: one whose name is not the hash of the URI it holds is ignored.
 */
final class SharedCrlFolderImpl implements SharedCrlFolder {
    private static final Logger LOG = LoggerFactory.getLogger(SharedCrlFolderImpl.class);

    private enum State { LATENT, STARTED, CLOSED }

    private record Shared(URI uri, byte[] der) {
    }

    private final CuratorFramework client;
    private final Id node;
    private final int maxBytes;
    private final CuratorCache cache;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final List<BiConsumer<URI, byte[]>> listeners = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor writer;

    SharedCrlFolderImpl(CuratorFramework client, Id node, int maxBytes) {
        this.client = client;
        this.node = node;
        this.maxBytes = maxBytes;
        this.cache = CuratorCache.build(client, ZkLayout.REVOCATION_CRLS);
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(16), runnable -> {
            Thread thread = new Thread(runnable, "sealgate-shared-crl-writer");
            thread.setDaemon(true);
            return thread;
        }, (runnable, executor) -> LOG.warn("Shared CRL not published: too many publications waiting"));
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("shared CRL folder already started or closed");
        }
        cache.listenable().addListener(CuratorCacheListener.builder()
            .forCreatesAndChanges((before, after) -> arrived(after))
            .build());
        cache.start();
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            cache.close();
        }
        writer.shutdownNow();
    }

    @Override
    public Optional<byte[]> latest(URI uri) {
        if (state.get() != State.STARTED) {
            return Optional.empty();
        }
        return cache.get(path(uri)).flatMap(SharedCrlFolderImpl::decode).filter(s -> s.uri().equals(uri)).map(Shared::der);
    }

    @Override
    public void listen(BiConsumer<URI, byte[]> listener) {
        listeners.add(listener);
        // What the cache read before this listener came (the node builds its CRL cache after the cluster link):
        // offered now, so the leader's relay knows every shared CRL, not only those that change later.
        if (state.get() == State.STARTED) {
            cache.stream().forEach(data -> arrived(data, List.of(listener)));
        }
    }

    @Override
    public void publish(URI uri, byte[] der, Optional<byte[]> replacing) {
        if (state.get() != State.STARTED) {
            return;
        }
        byte[] entry = encode(uri, der);
        if (entry.length > maxBytes) {
            LOG.info("CRL from {} is {} bytes, more than the {} ZooKeeper is given: not shared, every node fetches it"
                + " itself", uri, entry.length, maxBytes);
            return;
        }
        Optional<byte[]> expected = replacing.map(previous -> encode(uri, previous));
        writer.execute(() -> write(uri, entry, expected));
    }

    /**
     * Creates the entry or replaces it, in version-checked writes: the entry the caller saw ({@code expected}) is
     * replaced whatever it claims (the caller found it older or refused it); any other entry only when it is not a
     * CRL or is older by {@code thisUpdate} than ours, so a node whose local copy lagged cannot roll a newer CRL back.
     */
    private void write(URI uri, byte[] entry, Optional<byte[]> expected) {
        String path = path(uri);
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                Stat stat = new Stat();
                byte[] current;
                try {
                    current = client.getData().storingStatIn(stat).forPath(path);
                } catch (KeeperException.NoNodeException e) {
                    if (create(path, entry)) {
                        LOG.info("CRL from {} shared with the cluster ({} bytes)", uri, entry.length);
                        return;
                    }
                    continue; // created meanwhile: look at it
                }
                boolean seen = expected.isPresent() && Arrays.equals(current, expected.get());
                if (!seen && !olderThan(current, entry)) {
                    LOG.debug("CRL from {} not shared: the shared one is the same or newer", uri);
                    return;
                }
                try {
                    client.setData().withVersion(stat.getVersion()).forPath(path, entry);
                    LOG.info("CRL from {} shared with the cluster ({} bytes)", uri, entry.length);
                    return;
                } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
                    // changed meanwhile: look again
                }
            }
            LOG.info("CRL from {} not shared: the entry kept changing", uri);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("CRL from {} not shared with the cluster (the other nodes fetch it themselves): {}", uri, e.toString());
        }
    }

    private boolean create(String path, byte[] entry) throws Exception {
        byte[] folder = cache.get(ZkLayout.REVOCATION_CRLS).map(ChildData::getData)
            .orElseGet(() -> read(ZkLayout.REVOCATION_CRLS));
        // Admins ALL (to delete a bad entry); the node identity READ|WRITE, so any node can replace it.
        List<ACL> acl = new ArrayList<>(ConfigAcls.createdByNode(folder, node, Perms.READ | Perms.WRITE));
        try {
            client.create().withMode(CreateMode.PERSISTENT).withACL(acl).forPath(path, entry);
            return true;
        } catch (KeeperException.NodeExistsException e) {
            return false;
        }
    }

    /** Whether the shared entry {@code current} is garbage or a CRL older than the one in {@code ours}. */
    private static boolean olderThan(byte[] current, byte[] ours) {
        Optional<java.util.Date> theirs = thisUpdate(current);
        Optional<java.util.Date> mine = thisUpdate(ours);
        return theirs.isEmpty() || (mine.isPresent() && theirs.get().before(mine.get()));
    }

    private static Optional<java.util.Date> thisUpdate(byte[] entry) {
        return decode(new ChildData("/", null, entry)).flatMap(shared -> {
            try {
                return Optional.of(((X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(shared.der()))).getThisUpdate());
            } catch (GeneralSecurityException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    private byte[] read(String path) {
        try {
            return client.getData().forPath(path);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot read " + path + ": " + e, e);
        }
    }

    private void arrived(ChildData data) {
        arrived(data, listeners);
    }

    private void arrived(ChildData data, List<BiConsumer<URI, byte[]>> to) {
        if (state.get() != State.STARTED || data.getPath().equals(ZkLayout.REVOCATION_CRLS) || data.getData() == null) {
            return;
        }
        Optional<Shared> shared = decode(data);
        if (shared.isEmpty() || !data.getPath().equals(path(shared.get().uri()))) {
            LOG.warn("Ignoring {} in ZooKeeper: not a CRL entry under the name of its URI", data.getPath());
            return;
        }
        for (BiConsumer<URI, byte[]> listener : to) {
            try {
                listener.accept(shared.get().uri(), shared.get().der());
            } catch (RuntimeException e) {
                LOG.warn("Shared CRL for {} not taken: {}", shared.get().uri(), e.toString());
            }
        }
    }

    static String path(URI uri) {
        return ZkLayout.child(ZkLayout.REVOCATION_CRLS, sha256Hex(uri.toString()));
    }

    static byte[] encode(URI uri, byte[] der) {
        byte[] name = uri.toString().getBytes(StandardCharsets.UTF_8);
        byte[] entry = new byte[name.length + 1 + der.length];
        System.arraycopy(name, 0, entry, 0, name.length);
        entry[name.length] = '\n';
        System.arraycopy(der, 0, entry, name.length + 1, der.length);
        return entry;
    }

    private static Optional<Shared> decode(ChildData data) {
        byte[] entry = data.getData();
        if (entry == null) {
            return Optional.empty();
        }
        for (int i = 0; i < Math.min(entry.length, 4096); i++) {
            if (entry[i] == '\n') {
                try {
                    URI uri = new URI(new String(entry, 0, i, StandardCharsets.UTF_8));
                    byte[] der = new byte[entry.length - i - 1];
                    System.arraycopy(entry, i + 1, der, 0, der.length);
                    return Optional.of(new Shared(uri, der));
                } catch (java.net.URISyntaxException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }
}
