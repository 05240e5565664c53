package org.sealgate.zk.keys;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.curator.framework.CuratorFramework;
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
 * See {@link ZkKeyDirectory}. The entries come from a {@link KeyEntryCache} over {@code /keys} (parsed once per znode
 * version, local copy on nodes); the index is rebuilt on the first look-up after a change. Entries whose name is not
 * their content's fingerprint, unparsable entries and sealed keys that do not open are skipped with one warning each.
 */
final class ZkKeyDirectoryImpl implements ZkKeyDirectory {
    private static final Logger LOGGER = LoggerFactory.getLogger(ZkKeyDirectoryImpl.class);
    private static final Set<String> FOLDERS = Set.of(ZkLayout.CERTS, ZkLayout.HARVESTED, ZkLayout.ANCHORS,
        ZkLayout.CRLS, ZkLayout.PRIVATE);

    private final CuratorFramework client;
    private final Optional<Id> node;
    private final Optional<ClusterMasterKey> masterKey;
    private final KeyEntryCache entries;
    /** Nodes only: harvested certificates on their way to ZooKeeper. */
    private final Optional<HarvestWriter<X509Certificate>> harvests;
    private volatile Built built;

    /** The index and the snapshot it was built from. */
    private record Built(KeyEntryCache.Snapshot basis, KeyIndex index) {
    }

    ZkKeyDirectoryImpl(CuratorFramework client, Optional<Id> node, Optional<ClusterMasterKey> masterKey,
                       Optional<LocalKeyCopy> localCopy) {
        this.client = client;
        this.node = node;
        this.masterKey = masterKey;
        this.entries = new KeyEntryCache(client, ZkLayout.KEYS, FOLDERS, this::parse, localCopy, "sealgate-zk-keys");
        this.harvests = node.map(identity -> new HarvestWriter<>(client, identity, entries, ZkLayout.HARVESTED,
            List.of(ZkLayout.HARVESTED, ZkLayout.CERTS), KeyEntries::pem));
    }

    @Override
    public void start() {
        if (masterKey.isEmpty() && entries.state() == State.LATENT) {
            LOGGER.warn("No cluster master key: managed users' keys in ZooKeeper cannot be opened on this {}",
                node.isPresent() ? "node (no signing, no decryption)" : "client");
        }
        entries.start("ZkKeyDirectory");
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
        KeyIndex current = index();
        return "keys " + entries.describeSource() + ": " + current.certificates().size() + " certificates, "
            + current.identities().size() + " managed, " + current.trustAnchors().size() + " anchors, " + current.crls().size() + " CRLs"
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
            harvests.get().harvest(fingerprint, certificate);
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
        for (Map.Entry<String, Object> entry : entries.snapshot().values().entrySet()) {
            String path = entry.getKey();
            Object value = entry.getValue();
            X509Certificate certificate = value instanceof ManagedIdentity identity ? identity.certificate()
                : path.startsWith(ZkLayout.ANCHORS + "/") ? null : value instanceof X509Certificate c ? c : null;
            if (certificate != null && CertificateAddresses.of(certificate).contains(wanted)) {
                try {
                    client.delete().forPath(path);
                    removed++;
                } catch (KeeperException.NoNodeException e) {
                    LOGGER.debug("{} was already gone", path);
                } catch (Exception e) {
                    throw writeFailed(path, e);
                }
            }
        }
        harvests.ifPresent(h -> h.forget(certificate -> CertificateAddresses.of(certificate).contains(wanted)));
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

    private KeyIndex index() {
        KeyEntryCache.Snapshot now = entries.snapshot();
        Built current = built;
        if (current == null || current.basis() != now) {
            current = new Built(now, build(now));
            built = current;
        }
        return current.index();
    }

    private KeyIndex build(KeyEntryCache.Snapshot snapshot) {
        Map<String, X509Certificate> certificates = new LinkedHashMap<>();
        List<ScopedAnchor> anchors = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        List<ManagedIdentity> identities = new ArrayList<>();
        for (Object value : snapshot.values().values()) {
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
        return new KeyIndex(certificates, anchors, crls, identities);
    }

    /** An entry of one of {@link #FOLDERS}: certificate, anchor, CRL or managed identity; null when not usable. */
    private Object parse(String folder, String name, byte[] data) {
        return switch (folder) {
            case ZkLayout.CERTS, ZkLayout.HARVESTED -> KeyEntries.certificateNamed(name, data);
            case ZkLayout.ANCHORS -> KeyEntries.anchorNamed(name, data);
            case ZkLayout.CRLS -> KeyEntries.crlNamed(name, data);
            case ZkLayout.PRIVATE -> masterKey.isPresent() ? SealedIdentity.open(name, data, masterKey.get()) : null;
            default -> null;
        };
    }
}
