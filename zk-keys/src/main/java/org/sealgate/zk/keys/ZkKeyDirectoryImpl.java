package org.sealgate.zk.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.sealgate.keys.CertificateAddresses;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyImports;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.zk.store.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * See {@link ZkKeyDirectory}. Entries are parsed once per znode version (memo by path and mzxid); the index is
 * rebuilt lazily on the first look-up after a change. Entries whose name is not their content's fingerprint,
 * unparsable entries and sealed keys that do not open are skipped with one warning each.
 */
final class ZkKeyDirectoryImpl implements ZkKeyDirectory {
    private static final Logger LOGGER = LoggerFactory.getLogger(ZkKeyDirectoryImpl.class);

    private final CuratorFramework client;
    private final Optional<Id> node;
    private final Optional<ClusterMasterKey> masterKey;
    private final Optional<LocalKeyCopy> localCopy;
    private final CuratorCache cache;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicBoolean copyPending = new AtomicBoolean();
    private volatile Map<String, byte[]> localEntries = Map.of();
    private volatile KeyIndex index = KeyIndex.EMPTY;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sealgate-zk-keys");
        thread.setDaemon(true);
        return thread;
    });
    /** Nodes only: harvested certificates on their way to ZooKeeper. */
    private final Optional<HarvestWriter> harvests;
    private final ConnectionStateListener connectionListener = (c, newState) -> onConnectionState(newState);

    /** A parsed entry: the certificate, CRL or identity, or null when it could not be used. */
    private record Parsed(long mzxid, Object value) {
    }

    ZkKeyDirectoryImpl(CuratorFramework client, Optional<Id> node, Optional<ClusterMasterKey> masterKey,
                       Optional<LocalKeyCopy> localCopy) {
        this.client = client;
        this.node = node;
        this.masterKey = masterKey;
        this.localCopy = localCopy;
        this.cache = CuratorCache.build(client, ZkLayout.KEYS);
        this.harvests = node.map(identity -> new HarvestWriter(client, identity, background));
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("a ZkKeyDirectory starts once; this one is " + state.get());
        }
        if (masterKey.isEmpty()) {
            LOGGER.warn("No cluster master key: managed users' keys in ZooKeeper cannot be opened on this {}",
                node.isPresent() ? "node (no signing, no decryption)" : "client");
        }
        localCopy.ifPresent(copy -> {
            try {
                localEntries = copy.read();
                if (!localEntries.isEmpty()) {
                    LOGGER.info("Keys: {} entries from the local copy {} until ZooKeeper is read", localEntries.size(), copy.file());
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

    private void onConnectionState(ConnectionState newState) {
        if (newState == ConnectionState.RECONNECTED && state.get() == State.STARTED) {
            harvests.ifPresent(HarvestWriter::resendPending);
        }
    }

    @Override
    public boolean awaitInitialized(Duration timeout) throws InterruptedException {
        return initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Source source() {
        if (initialized.getCount() == 0) {
            return Source.ZOOKEEPER;
        }
        return localEntries.isEmpty() ? Source.NONE : Source.LOCAL_COPY;
    }

    @Override
    public String describe() {
        KeyIndex current = index();
        String from = switch (source()) {
            case ZOOKEEPER -> "from ZooKeeper";
            case LOCAL_COPY -> "from the local copy (ZooKeeper not read yet)";
            case NONE -> "none yet (ZooKeeper not read)";
        };
        return "keys " + from + ": " + current.certificates().size() + " certificates, " + current.identities().size()
            + " managed, " + current.trustAnchors().size() + " anchors, " + current.crls().size() + " CRLs"
            + harvests.map(h -> h.pending().size()).filter(n -> n > 0).map(n -> ", " + n + " harvested not yet stored")
                .orElse("");
    }

    @Override
    public State state() {
        return state.get();
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            client.getConnectionStateListenable().removeListener(connectionListener);
            cache.close();
            background.shutdown();
        }
    }

    // ---- reads: all from memory ----

    @Override
    public List<X509Certificate> certificatesFor(String address) {
        return index().certificatesFor(address);
    }

    @Override
    public List<X509Certificate> certificates() {
        return List.copyOf(index().certificates());
    }

    @Override
    public Optional<ManagedIdentity> managedIdentity(String address) {
        return index().managedIdentity(address);
    }

    @Override
    public List<ManagedIdentity> managedIdentities() {
        return index().identities();
    }

    @Override
    public List<X509Certificate> trustAnchors() {
        return index().trustAnchors();
    }

    @Override
    public List<ScopedAnchor> scopedTrustAnchors() {
        return index().scopedTrustAnchors();
    }

    @Override
    public List<X509CRL> crls() {
        return index().crls();
    }

    // ---- writes ----

    @Override
    public void addCertificate(X509Certificate certificate) {
        String fingerprint = Fingerprints.sha256(certificate);
        if (index().hasCertificate(fingerprint)) {
            return; // harvesting happens on every signed mail: known certificates cost nothing
        }
        if (harvests.isPresent()) {
            if (state.get() == State.STARTED) {
                harvests.get().harvest(certificate);
                dirty.set(true);
            }
        } else {
            create(ZkLayout.child(ZkLayout.CERTS, fingerprint), KeyEntries.pem(certificate), storeAcl());
        }
    }

    @Override
    public void addTrustAnchor(X509Certificate certificate) {
        create(ZkLayout.child(ZkLayout.ANCHORS, Fingerprints.sha256(certificate)), KeyEntries.pem(certificate), storeAcl());
    }

    /** Creates the anchor or replaces its scope (admins only: nodes cannot write {@code /keys/anchors}). */
    @Override
    public void addTrustAnchor(ScopedAnchor anchor) {
        createOrReplace(ZkLayout.child(ZkLayout.ANCHORS, Fingerprints.sha256(anchor.certificate())), anchor.encoded());
    }

    @Override
    public void addCrl(X509CRL crl) {
        create(ZkLayout.child(ZkLayout.CRLS, KeyEntries.crlName(crl)), KeyImports.toPem(crl).getBytes(StandardCharsets.US_ASCII),
            storeAcl());
    }

    @Override
    public void addManagedIdentity(ManagedIdentity identity) {
        if (!CertificateAddresses.of(identity.certificate()).contains(identity.address())) {
            throw new IllegalArgumentException("the certificate of " + identity + " does not name " + identity.address());
        }
        ClusterMasterKey key = masterKey.orElseThrow(() -> new KeyStoreException(
            "storing a managed key needs the cluster master key (--master-key FILE)", false, null));
        // Replaced when present: re-sealed, e.g. under a new master key.
        createOrReplace(ZkLayout.child(ZkLayout.PRIVATE, SealedIdentity.nameOf(identity)), SealedIdentity.seal(identity, key));
    }

    private void createOrReplace(String path, byte[] data) {
        try {
            if (client.checkExists().forPath(path) == null) {
                client.create().withMode(CreateMode.PERSISTENT).withACL(storeAcl()).forPath(path, data);
            } else {
                client.setData().forPath(path, data);
            }
        } catch (Exception e) {
            throw writeFailed(path, e);
        }
    }

    @Override
    public int remove(String address) {
        String wanted = org.sealgate.keys.Addresses.normalise(address);
        int removed = 0;
        for (ChildData entry : cache.stream().toList()) {
            Object value = parse(entry.getPath(), entry.getData(), entry.getStat().getMzxid());
            X509Certificate certificate = value instanceof ManagedIdentity identity ? identity.certificate()
                : entry.getPath().startsWith(ZkLayout.PRIVATE + "/") || entry.getPath().startsWith(ZkLayout.ANCHORS + "/")
                ? null : value instanceof X509Certificate c ? c : null;
            if (certificate != null && CertificateAddresses.of(certificate).contains(wanted)) {
                try {
                    client.delete().forPath(entry.getPath());
                    removed++;
                } catch (KeeperException.NoNodeException e) {
                    LOGGER.debug("{} was already gone", entry.getPath());
                } catch (Exception e) {
                    throw writeFailed(entry.getPath(), e);
                }
            }
        }
        harvests.ifPresent(h -> h.forget(entry -> CertificateAddresses.of(entry.getValue()).contains(wanted)));
        return removed;
    }

    private void create(String path, byte[] data, List<ACL> acl) {
        try {
            client.create().withMode(CreateMode.PERSISTENT).withACL(acl).forPath(path, data);
        } catch (KeeperException.NodeExistsException e) {
            LOGGER.debug("{} exists already", path);   // named by content hash: same content
        } catch (Exception e) {
            throw writeFailed(path, e);
        }
    }

    /** What admins create: the ACL of {@code /keys} itself (admin ALL, node READ). */
    private List<ACL> storeAcl() {
        try {
            return new ArrayList<>(client.getACL().forPath(ZkLayout.KEYS));
        } catch (Exception e) {
            throw writeFailed(ZkLayout.KEYS, e);
        }
    }

    private static KeyStoreException writeFailed(String path, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (e instanceof KeeperException.NoAuthException) {
            return new KeyStoreException("writing " + path + " is not allowed for this identity (ZooKeeper NoAuth);"
                + " key store writes need the admin credentials", true, e);
        }
        if (e instanceof KeeperException.NoNodeException) {
            return new KeyStoreException("the key store does not exist in ZooKeeper yet (" + path + "); "
                + "it is created with the configuration store (first 'config apply')", false, e);
        }
        return new KeyStoreException("cannot write " + path + " in ZooKeeper: " + e, false, e);
    }

    // ---- the index ----

    private void changed() {
        dirty.set(true);
        harvests.ifPresent(h -> h.forget(entry -> cache.get(ZkLayout.child(ZkLayout.HARVESTED, entry.getKey())).isPresent()
            || cache.get(ZkLayout.child(ZkLayout.CERTS, entry.getKey())).isPresent()));
        if (localCopy.isPresent() && initialized.getCount() == 0 && copyPending.compareAndSet(false, true)
            && state.get() == State.STARTED) {
            background.execute(this::writeLocalCopy);
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
        if (initialized.getCount() > 0) {
            return localEntries;
        }
        Map<String, byte[]> entries = new TreeMap<>();
        cache.stream().filter(d -> d.getData() != null && d.getData().length > 0)
            .forEach(d -> entries.put(d.getPath(), d.getData()));
        return entries;
    }

    private KeyIndex index() {
        if (dirty.compareAndSet(true, false)) {
            synchronized (this) {
                index = build();
            }
        }
        return index;
    }

    private KeyIndex build() {
        Map<String, X509Certificate> certificates = new LinkedHashMap<>();
        List<ScopedAnchor> anchors = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        List<ManagedIdentity> identities = new ArrayList<>();
        boolean fromCache = initialized.getCount() == 0;
        Map<String, byte[]> entries = fromCache ? null : localEntries;
        Map<String, Long> versions = new TreeMap<>();
        Map<String, byte[]> data = new TreeMap<>();
        if (fromCache) {
            cache.stream().forEach(d -> {
                versions.put(d.getPath(), d.getStat().getMzxid());
                data.put(d.getPath(), d.getData());
            });
        } else {
            entries.forEach((path, bytes) -> {
                versions.put(path, -1L);
                data.put(path, bytes);
            });
        }
        for (Map.Entry<String, byte[]> entry : data.entrySet()) {
            String path = entry.getKey();
            Object value = parse(path, entry.getValue(), versions.get(path));
            if (value instanceof ManagedIdentity identity) {
                identities.add(identity);
            } else if (value instanceof X509CRL crl) {
                crls.add(crl);
            } else if (value instanceof ScopedAnchor anchor) {
                anchors.add(anchor);
            } else if (value instanceof X509Certificate certificate) {
                certificates.putIfAbsent(Fingerprints.sha256(certificate), certificate);
            }
        }
        harvests.ifPresent(h -> h.pending().forEach(certificates::putIfAbsent));
        parsed.keySet().retainAll(data.keySet());   // forget entries deleted meanwhile
        return new KeyIndex(certificates, anchors, crls, identities);
    }

    /** The entry's value, parsed once per znode version; null for folders and unusable entries. */
    private Object parse(String path, byte[] data, long mzxid) {
        int slash = path.lastIndexOf('/');
        String folder = path.substring(0, slash);
        if (data == null || data.length == 0 || !ZkLayout.KEY_FOLDERS.contains(folder) || folder.equals(ZkLayout.KEYS)) {
            return null;
        }
        Parsed known = parsed.get(path);
        if (known != null && known.mzxid() == mzxid && mzxid >= 0) {
            return known.value();
        }
        Object value = null;
        String name = path.substring(slash + 1);
        try {
            value = switch (folder) {
                case ZkLayout.CERTS, ZkLayout.HARVESTED -> KeyEntries.certificateNamed(name, data);
                case ZkLayout.ANCHORS -> KeyEntries.anchorNamed(name, data);
                case ZkLayout.CRLS -> KeyEntries.crlNamed(name, data);
                case ZkLayout.PRIVATE -> masterKey.isPresent() ? SealedIdentity.open(name, data, masterKey.get()) : null;
                default -> null;   // /keys/pgp: reserved for OpenPGP keys
            };
        } catch (RuntimeException e) {
            LOGGER.warn("Skipping unusable key entry {}: {}", path, e.getMessage());
        }
        parsed.put(path, new Parsed(mzxid, value));
        return value;
    }
}
