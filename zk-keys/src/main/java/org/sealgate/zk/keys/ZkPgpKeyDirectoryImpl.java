package org.sealgate.zk.keys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Id;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.KeyHarvester;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.zk.store.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * See {@link ZkPgpKeyDirectory}. The entries come from a {@link KeyEntryCache} over {@code /keys/pgp} (parsed once
 * per znode version, local copy on nodes); the key lists are rebuilt on the first look-up after a change. Entries
 * whose name is not their key's fingerprint, unparsable entries and sealed keys that do not open are skipped with one
 * warning each.
 */
final class ZkPgpKeyDirectoryImpl implements ZkPgpKeyDirectory {
    private static final Logger LOGGER = LoggerFactory.getLogger(ZkPgpKeyDirectoryImpl.class);
    private static final List<String> FOLDERS = List.of(ZkLayout.PGP_PUBLIC, ZkLayout.PGP_HARVESTED, ZkLayout.PGP_SECRET);

    private final CuratorFramework client;
    private final Optional<Id> node;
    private final Optional<ClusterMasterKey> masterKey;
    private final KeyEntryCache entries;
    /** Nodes only: harvested keys on their way to ZooKeeper. */
    private final Optional<HarvestWriter<OpenPGPCertificate>> harvests;
    private volatile Built built;

    /** Partner keys (imported first, then harvested, then harvested here and not yet stored) and managed keys. */
    private record Keys(List<PgpPublicKey> publicKeys, List<PgpManagedKey> managedKeys) {
    }

    private record Built(KeyEntryCache.Snapshot basis, Keys keys) {
    }

    ZkPgpKeyDirectoryImpl(CuratorFramework client, Optional<Id> node, Optional<ClusterMasterKey> masterKey,
                          Optional<LocalKeyCopy> localCopy) {
        this.client = client;
        this.node = node;
        this.masterKey = masterKey;
        this.entries = new KeyEntryCache(client, ZkLayout.PGP, Set.copyOf(FOLDERS), this::parse, localCopy,
            "sealgate-zk-pgp-keys");
        this.harvests = node.map(identity -> new HarvestWriter<>(client, identity, entries, ZkLayout.PGP_HARVESTED,
            List.of(ZkLayout.PGP_HARVESTED, ZkLayout.PGP_PUBLIC), PgpEntries::encoded));
    }

    @Override
    public void start() {
        if (masterKey.isEmpty() && entries.state() == State.LATENT) {
            LOGGER.warn("No cluster master key: managed users' OpenPGP keys in ZooKeeper cannot be opened on this {}",
                node.isPresent() ? "node (no signing, no decryption)" : "client");
        }
        entries.start("ZkPgpKeyDirectory");
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
        Keys current = keys();
        long harvested = current.publicKeys().stream().filter(k -> k.source() == PgpPublicKey.Source.HARVESTED).count();
        return "OpenPGP keys " + entries.describeSource() + ": " + (current.publicKeys().size() - harvested) + " imported, "
            + harvested + " harvested, " + current.managedKeys().size() + " managed"
            + harvests.map(h -> h.pending().size()).filter(n -> n > 0).map(n -> ", " + n + " harvested not yet stored")
                .orElse("");
    }

    @Override
    public State state() {
        return entries.state();
    }

    @Override
    public void close() {
        entries.close();
    }

    // ---- reads: all from memory ----

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
        return keys().publicKeys();
    }

    @Override
    public Optional<PgpManagedKey> managedKey(String address) {
        String wanted = Addresses.normalise(address);
        return managedKeys().stream()
            .filter(key -> key.addresses().contains(wanted))
            .max(Comparator.comparing(key -> key.key().getPrimaryKey().getCreationTime()))
            .map(key -> new PgpManagedKey(wanted, key.key(), key.passphrase()));
    }

    @Override
    public List<PgpManagedKey> managedKeys() {
        return keys().managedKeys();
    }

    // ---- writes ----

    /**
     * On a node only harvesting works (ZooKeeper refuses the rest); harvests are usable here at once and written in
     * the background. A harvested key is not kept when another key already names one of its addresses.
     */
    @Override
    public PgpPublicKey addPublicKey(OpenPGPCertificate certificate, PgpPublicKey.Source source) {
        if (certificate.isSecretKey()) {
            throw new IllegalArgumentException("a secret key is not a partner's public key; import it as a managed key");
        }
        requireAddress(certificate);
        String name = PgpKeys.fingerprint(certificate);
        if (source == PgpPublicKey.Source.IMPORTED) {
            write(ZkLayout.child(ZkLayout.PGP_PUBLIC, name), PgpEntries.encoded(certificate));
            return new PgpPublicKey(certificate, source);
        }
        KeyEntryCache.Snapshot now = entries.snapshot();
        String imported = ZkLayout.child(ZkLayout.PGP_PUBLIC, name);
        if (now.contains(imported) || entries.inZooKeeper(imported)) {
            return new PgpPublicKey(certificate, PgpPublicKey.Source.IMPORTED);
        }
        if (now.contains(ZkLayout.child(ZkLayout.PGP_HARVESTED, name))
            || harvests.map(h -> h.pending().containsKey(name)).orElse(false)) {
            return new PgpPublicKey(certificate, source);   // known already: harvesting costs nothing
        }
        if (!KeyHarvester.conflicts(this, certificate).isEmpty()) {
            LOGGER.info("Not keeping harvested OpenPGP key {}: another key names its address", name);
            return new PgpPublicKey(certificate, source);
        }
        if (harvests.isPresent()) {
            harvests.get().harvest(name, certificate);
        } else {
            create(ZkLayout.child(ZkLayout.PGP_HARVESTED, name), PgpEntries.encoded(certificate));
        }
        return new PgpPublicKey(certificate, source);
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
        write(ZkLayout.child(ZkLayout.PGP_SECRET, name), SealedPgpKey.seal(name, PgpEntries.encoded(key), given,
            requireMasterKey()));
        return new PgpManagedKey(address, key, component -> given.clone());
    }

    /** Reads ZooKeeper itself (not the cache): secret keys are matched by their public part, no master key needed. */
    @Override
    public int remove(String address) {
        String wanted = Addresses.normalise(address);
        int removed = 0;
        for (String folder : FOLDERS) {
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
        harvests.ifPresent(h -> h.forget(certificate -> PgpKeys.addresses(certificate).contains(wanted)));
        return removed;
    }

    private List<String> children(String folder) {
        try {
            return client.getChildren().forPath(folder);
        } catch (Exception e) {
            throw new KeyStoreException("cannot list " + folder + ": " + e, false, e);
        }
    }

    /** Creates or replaces an admin's entry, with the ACL of {@code /keys/pgp/public} (admin ALL, node READ). */
    private void write(String path, byte[] data) {
        try {
            if (client.checkExists().forPath(path) == null) {
                client.create().withMode(CreateMode.PERSISTENT).withACL(client.getACL().forPath(ZkLayout.PGP_PUBLIC))
                    .forPath(path, data);
            } else {
                client.setData().forPath(path, data);
            }
        } catch (Exception e) {
            throw writeFailed(path, e);
        }
    }

    /** An admin's harvest: created synchronously, kept when present (named by fingerprint: same key). */
    private void create(String path, byte[] data) {
        try {
            client.create().withMode(CreateMode.PERSISTENT).withACL(client.getACL().forPath(ZkLayout.PGP_PUBLIC))
                .forPath(path, data);
        } catch (KeeperException.NodeExistsException e) {
            LOGGER.debug("{} exists already", path);
        } catch (Exception e) {
            throw writeFailed(path, e);
        }
    }

    private static KeyStoreException writeFailed(String path, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (e instanceof KeeperException.NoAuthException) {
            return new KeyStoreException("not allowed for this identity (ZooKeeper NoAuth); this needs the admin credentials", true, e);
        }
        return new KeyStoreException("cannot write " + path + ": " + e, false, e);
    }

    // ---- the key lists ----

    private Keys keys() {
        KeyEntryCache.Snapshot now = entries.snapshot();
        Built current = built;
        if (current == null || current.basis() != now) {
            current = new Built(now, build(now));
            built = current;
        }
        return current.keys();
    }

    private Keys build(KeyEntryCache.Snapshot snapshot) {
        List<PgpPublicKey> all = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (OpenPGPCertificate certificate : snapshot.in(ZkLayout.PGP_PUBLIC, OpenPGPCertificate.class)) {
            all.add(new PgpPublicKey(certificate, PgpPublicKey.Source.IMPORTED));
            seen.add(PgpKeys.fingerprint(certificate));
        }
        List<OpenPGPCertificate> harvested = new ArrayList<>(snapshot.in(ZkLayout.PGP_HARVESTED, OpenPGPCertificate.class));
        harvests.ifPresent(h -> harvested.addAll(h.pending().values()));
        for (OpenPGPCertificate certificate : harvested) {
            if (!seen.contains(PgpKeys.fingerprint(certificate))) {
                all.add(new PgpPublicKey(certificate, PgpPublicKey.Source.HARVESTED));
                seen.add(PgpKeys.fingerprint(certificate));
            }
        }
        return new Keys(List.copyOf(all), List.copyOf(snapshot.in(ZkLayout.PGP_SECRET, PgpManagedKey.class)));
    }

    /** An entry of one of {@link #FOLDERS}: a partner's public key or an opened managed key; null when not usable. */
    private Object parse(String folder, String name, byte[] data) {
        return switch (folder) {
            case ZkLayout.PGP_PUBLIC, ZkLayout.PGP_HARVESTED -> PgpEntries.publicKeyNamed(name, data);
            case ZkLayout.PGP_SECRET -> masterKey.isPresent() ? SealedPgpKey.open(name, data, masterKey.get()) : null;
            default -> null;
        };
    }

    private ClusterMasterKey requireMasterKey() {
        return masterKey.orElseThrow(() -> new IllegalArgumentException(
            "storing a managed OpenPGP key needs the cluster master key (--master-key)"));
    }

    private static String requireAddress(OpenPGPCertificate certificate) {
        return PgpKeys.addresses(certificate).stream().findFirst().orElseThrow(() -> new IllegalArgumentException(
            "the OpenPGP key " + PgpKeys.fingerprint(certificate) + " has no valid user ID with an e-mail address"));
    }
}
