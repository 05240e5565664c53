package org.sealgate.zk.keys;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.Id;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.KeyHarvester;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's {@link PgpKeyDirectory} in ZooKeeper ({@code /keys/pgp}), children named by key fingerprint:
 * {@code public/} (imported, admin only), {@code harvested/} (nodes may only create) and {@code secret/} (the
 * OpenPGP key packets and their passphrase sealed together with {@link ClusterMasterKey}, AES-256-GCM, bound to the
 * znode name). Held in memory by a {@code CuratorCache}; entries are parsed once per znode version.
 * Lifecycle: {@link #start()} once, {@link #close()} when done.
 */
public final class ZkPgpKeyDirectory implements PgpKeyDirectory, Closeable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ZkPgpKeyDirectory.class);

    private final CuratorFramework client;
    private final Optional<Id> node;
    private final Optional<ClusterMasterKey> masterKey;
    private final CuratorCache cache;
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    /** Harvests go to ZooKeeper on this thread: a mail never waits for ZooKeeper. */
    private final ExecutorService background = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sealgate-zk-pgp-keys");
        thread.setDaemon(true);
        return thread;
    });

    private record Parsed(long mzxid, Object value) {
    }

    private ZkPgpKeyDirectory(CuratorFramework client, Optional<Id> node, Optional<ClusterMasterKey> masterKey) {
        this.client = client;
        this.node = node;
        this.masterKey = masterKey;
        this.cache = CuratorCache.build(client, ZkLayout.PGP);
    }

    /** A node's directory: reads everything, harvests into {@code /keys/pgp/harvested}. */
    public static ZkPgpKeyDirectory forNode(CuratorFramework client, Id node, Optional<ClusterMasterKey> masterKey) {
        return new ZkPgpKeyDirectory(client, Optional.of(node), masterKey);
    }

    /** An administrator's directory (CLI). */
    public static ZkPgpKeyDirectory forAdmin(CuratorFramework client, Optional<ClusterMasterKey> masterKey) {
        return new ZkPgpKeyDirectory(client, Optional.empty(), masterKey);
    }

    public void start() {
        cache.listenable().addListener(CuratorCacheListener.builder().forInitialized(initialized::countDown).build());
        cache.start();
    }

    public boolean awaitInitialized(Duration timeout) throws InterruptedException {
        return initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        background.shutdownNow();
        cache.close();
    }

    @Override
    public boolean hasUsableEncryptionKey(String address) {
        Date now = new Date();
        return publicKeysFor(address).stream().anyMatch(key -> !PgpKeys.encryptionKeys(key.certificate(), now).isEmpty());
    }

    @Override
    public List<PgpPublicKey> publicKeysFor(String address) {
        String wanted = Addresses.normalise(address);
        return publicKeys().stream().filter(key -> PgpKeys.addresses(key.certificate()).contains(wanted)).toList();
    }

    /** Imported keys first; a harvested key with the fingerprint of an imported one appears once, as imported. */
    @Override
    public List<PgpPublicKey> publicKeys() {
        List<PgpPublicKey> all = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (OpenPGPCertificate certificate : entries(ZkLayout.PGP_PUBLIC, OpenPGPCertificate.class)) {
            all.add(new PgpPublicKey(certificate, PgpPublicKey.Source.IMPORTED));
            seen.add(PgpKeys.fingerprint(certificate));
        }
        for (OpenPGPCertificate certificate : entries(ZkLayout.PGP_HARVESTED, OpenPGPCertificate.class)) {
            if (!seen.contains(PgpKeys.fingerprint(certificate))) {
                all.add(new PgpPublicKey(certificate, PgpPublicKey.Source.HARVESTED));
            }
        }
        return all;
    }

    @Override
    public Optional<PgpManagedKey> managedKey(String address) {
        String wanted = Addresses.normalise(address);
        return entries(ZkLayout.PGP_SECRET, PgpManagedKey.class).stream()
            .filter(key -> key.addresses().contains(wanted))
            .max(Comparator.comparing(key -> key.key().getPrimaryKey().getCreationTime()))
            .map(key -> new PgpManagedKey(wanted, key.key(), key.passphrase()));
    }

    @Override
    public List<PgpManagedKey> managedKeys() {
        return entries(ZkLayout.PGP_SECRET, PgpManagedKey.class);
    }

    /**
     * On a node only harvesting works (ZooKeeper refuses the rest); harvests are written in the background, a failure
     * is logged. A harvested key is not kept when another key already names one of its addresses.
     */
    @Override
    public PgpPublicKey addPublicKey(OpenPGPCertificate certificate, PgpPublicKey.Source source) {
        if (certificate.isSecretKey()) {
            throw new IllegalArgumentException("a secret key is not a partner's public key; import it as a managed key");
        }
        requireAddress(certificate);
        String name = PgpKeys.fingerprint(certificate);
        byte[] packets = encoded(certificate);
        if (source == PgpPublicKey.Source.IMPORTED) {
            write(ZkLayout.child(ZkLayout.PGP_PUBLIC, name), packets);
            return new PgpPublicKey(certificate, source);
        }
        if (cache.get(ZkLayout.child(ZkLayout.PGP_PUBLIC, name)).isPresent()) {
            return new PgpPublicKey(certificate, PgpPublicKey.Source.IMPORTED);
        }
        if (!KeyHarvester.conflicts(this, certificate).isEmpty()) {
            LOGGER.info("Not keeping harvested OpenPGP key {}: another key names its address", name);
            return new PgpPublicKey(certificate, source);
        }
        background.execute(() -> harvest(ZkLayout.child(ZkLayout.PGP_HARVESTED, name), packets));
        return new PgpPublicKey(certificate, source);
    }

    private void harvest(String path, byte[] packets) {
        try {
            var create = client.create().withMode(CreateMode.PERSISTENT);
            if (node.isPresent()) {
                create.withACL(ConfigAcls.createdByNode(client.getData().forPath(ZkLayout.PGP_HARVESTED), node.get(), Perms.READ))
                    .forPath(path, packets);
            } else {
                create.withACL(client.getACL().forPath(ZkLayout.PGP_PUBLIC)).forPath(path, packets);
            }
        } catch (KeeperException.NodeExistsException e) {
            LOGGER.debug("{} exists already", path);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOGGER.warn("Cannot store harvested OpenPGP key {} in ZooKeeper: {}", path, e.toString());
        }
    }

    /** The key's packets and its passphrase, sealed together; ZooKeeper never holds either in clear. */
    @Override
    public PgpManagedKey addManagedKey(OpenPGPKey key, char[] passphrase) {
        String address = requireAddress(key);
        char[] given = passphrase == null ? new char[0] : passphrase;
        for (OpenPGPKey.OpenPGPSecretKey component : key.getSecretKeys().values()) {
            if (component.isLocked() && !component.isPassphraseCorrect(given)) {
                throw new IllegalArgumentException("wrong passphrase for the OpenPGP key " + PgpKeys.fingerprint(key));
            }
        }
        String name = PgpKeys.fingerprint(key);
        write(ZkLayout.child(ZkLayout.PGP_SECRET, name), SealedPgpKey.seal(name, encoded(key), given, requireMasterKey()));
        return new PgpManagedKey(address, key, component -> given.clone());
    }

    @Override
    public int remove(String address) {
        String wanted = Addresses.normalise(address);
        int removed = 0;
        for (String folder : List.of(ZkLayout.PGP_PUBLIC, ZkLayout.PGP_HARVESTED, ZkLayout.PGP_SECRET)) {
            for (String child : children(folder)) {
                String path = ZkLayout.child(folder, child);
                try {
                    OpenPGPCertificate certificate = folder.equals(ZkLayout.PGP_SECRET)
                        ? SealedPgpKey.publicPart(client.getData().forPath(path))
                        : PgpKeys.read(client.getData().forPath(path));
                    if (PgpKeys.addresses(certificate).contains(wanted)) {
                        client.delete().forPath(path);
                        removed++;
                    }
                } catch (KeeperException.NoAuthException e) {
                    throw new KeyStoreException("not allowed for this identity (ZooKeeper NoAuth); this needs the admin credentials", true, e);
                } catch (Exception e) {
                    throw new KeyStoreException("cannot remove " + path + ": " + e, false, e);
                }
            }
        }
        return removed;
    }

    private List<String> children(String folder) {
        try {
            return client.getChildren().forPath(folder);
        } catch (Exception e) {
            throw new KeyStoreException("cannot list " + folder + ": " + e, false, e);
        }
    }

    private void write(String path, byte[] data) {
        try {
            if (client.checkExists().forPath(path) == null) {
                client.create().withMode(CreateMode.PERSISTENT).withACL(client.getACL().forPath(ZkLayout.PGP_PUBLIC))
                    .forPath(path, data);
            } else {
                client.setData().forPath(path, data);
            }
        } catch (KeeperException.NoAuthException e) {
            throw new KeyStoreException("not allowed for this identity (ZooKeeper NoAuth); this needs the admin credentials", true, e);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new KeyStoreException("cannot write " + path + ": " + e, false, e);
        }
    }

    private <T> List<T> entries(String folder, Class<T> type) {
        List<T> values = new ArrayList<>();
        for (ChildData data : cache.stream().filter(d -> folder.equals(parentOf(d.getPath()))).toList()) {
            Parsed entry = parsed.compute(data.getPath(), (path, old) ->
                old != null && old.mzxid() == data.getStat().getMzxid() ? old : new Parsed(data.getStat().getMzxid(), parse(path, data.getData())));
            if (type.isInstance(entry.value())) {
                values.add(type.cast(entry.value()));
            }
        }
        return values;
    }

    private Object parse(String path, byte[] data) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        try {
            if (path.startsWith(ZkLayout.PGP_SECRET + "/")) {
                if (masterKey.isEmpty()) {
                    LOGGER.warn("No cluster master key: the OpenPGP key {} cannot be opened", path);
                    return null;
                }
                return SealedPgpKey.open(name, data, masterKey.get());
            }
            OpenPGPCertificate certificate = PgpKeys.read(data);
            if (certificate.isSecretKey() || !PgpKeys.fingerprint(certificate).equals(name)) {
                throw new IllegalArgumentException("not a public key with fingerprint " + name);
            }
            return certificate;
        } catch (RuntimeException e) {
            LOGGER.warn("Skipping unusable OpenPGP entry {}: {}", path, e.getMessage());
            return null;
        }
    }

    private static String parentOf(String path) {
        return path.substring(0, Math.max(0, path.lastIndexOf('/')));
    }

    private ClusterMasterKey requireMasterKey() {
        return masterKey.orElseThrow(() -> new IllegalArgumentException(
            "storing a managed OpenPGP key needs the cluster master key (--master-key)"));
    }

    private static String requireAddress(OpenPGPCertificate certificate) {
        return PgpKeys.addresses(certificate).stream().findFirst().orElseThrow(() -> new IllegalArgumentException(
            "the OpenPGP key " + PgpKeys.fingerprint(certificate) + " has no valid user ID with an e-mail address"));
    }

    static byte[] encoded(OpenPGPCertificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode the OpenPGP key " + PgpKeys.fingerprint(certificate), e);
        }
    }

    static byte[] utf8(char[] chars) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] bytes = Arrays.copyOf(buffer.array(), buffer.limit());
        Arrays.fill(buffer.array(), (byte) 0);
        return bytes;
    }
}
