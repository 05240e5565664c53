package org.sealgate.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.sealgate.zk.keys.ClusterMasterKey;
import org.sealgate.zk.keys.ZkKeyDirectories;
import org.sealgate.zk.keys.ZkPgpKeyDirectories;
import org.sealgate.zk.keys.ZkPgpKeyDirectory;
import org.sealgate.zk.keys.ZkKeyDirectory;
import org.sealgate.zk.registry.NodeRegistry;
import org.sealgate.zk.registry.NodeStatus;
import org.sealgate.zk.store.ConfigAccessDeniedException;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.StoreFolders;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkLayout;

/**
 * One admin command's connection to ZooKeeper and the {@link ConfigStore} on it. New znodes get the ACL that
 * {@code /config} already has, so an admin needs only their own credentials once the store exists; the node
 * identity is needed just for the very first apply, which creates {@code /config}.
 */
final class AdminSession implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final ZkTarget target;
    private final CuratorFramework client;

    private AdminSession(ZkTarget target, CuratorFramework client) {
        this.target = target;
        this.client = client;
    }

    static AdminSession open(ZkTarget target) throws ConfigStoreException {
        CuratorFramework client = ZkClients.admin(target.connect(), ZkClients.DEFAULT_NAMESPACE, target.admin(),
            creatorAcls(target), target.tls());
        client.start();
        try {
            if (!client.blockUntilConnected((int) CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ConfigStoreException(ZkUnreachable.message(target.connect(), CONNECT_TIMEOUT,
                    target.tls().isPresent()), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new ConfigStoreException("interrupted while connecting to ZooKeeper", e);
        } catch (ConfigStoreException e) {
            client.close();
            throw e;
        }
        return new AdminSession(target, client);
    }

    /** A store for reading; nothing it creates, so the ACLs do not matter. */
    ConfigStore reader() {
        return new ConfigStore(client, creatorAcls(target), target.admin().user());
    }

    /**
     * A store for writing: with {@code /config}'s ACL, or, on first use, creating the store for the node identity.
     * Also adds the key store and registry folders to a store made before they existed.
     */
    ConfigStore writer() throws ConfigStoreException {
        try {
            List<ACL> existing = client.getACL().forPath(ZkLayout.CONFIG);
            StoreFolders.ensure(client, existing);
            return new ConfigStore(client, existing, target.admin().user());
        } catch (KeeperException.NoNodeException e) {
            if (target.node().isEmpty()) {
                throw new ConfigStoreException("the configuration store does not exist yet in " + target.connect()
                    + "; the first apply creates it and needs --node-credentials FILE (the identity nodes read with)", e);
            }
            ConfigStore store = new ConfigStore(client, creatorAcls(target), target.admin().user());
            store.initialize();
            return store;
        } catch (KeeperException.NoAuthException e) {
            throw new ConfigAccessDeniedException("reading the ACL of " + ZkLayout.CONFIG
                + ": not allowed for this identity (ZooKeeper NoAuth); writes need the admin credentials", e);
        } catch (ConfigStoreException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigStoreException("cannot read the ACL of " + ZkLayout.CONFIG + ": " + e, e);
        }
    }

    /**
     * The cluster's key directory as an admin sees it, loaded (bounded wait). The configuration store must exist:
     * its ACL is what the key store's folders get.
     */
    ZkKeyDirectory keys(Optional<ClusterMasterKey> masterKey) throws ConfigStoreException {
        writer();
        ZkKeyDirectory keys = ZkKeyDirectories.forAdmin(client, masterKey);
        keys.start();
        try {
            if (!keys.awaitInitialized(CONNECT_TIMEOUT)) {
                keys.close();
                throw new ConfigStoreException("the key store in " + target.connect() + " was not read within "
                    + CONNECT_TIMEOUT.toSeconds() + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keys.close();
            throw new ConfigStoreException("interrupted while reading the key store", e);
        }
        return keys;
    }

    /** The cluster's OpenPGP keys as an admin sees them, loaded (bounded wait). */
    ZkPgpKeyDirectory pgpKeys(Optional<ClusterMasterKey> masterKey) throws ConfigStoreException {
        writer();
        ZkPgpKeyDirectory keys = ZkPgpKeyDirectories.forAdmin(client, masterKey);
        keys.start();
        try {
            if (!keys.awaitInitialized(CONNECT_TIMEOUT)) {
                keys.close();
                throw new ConfigStoreException("the OpenPGP keys in " + target.connect() + " were not read within "
                    + CONNECT_TIMEOUT.toSeconds() + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keys.close();
            throw new ConfigStoreException("interrupted while reading the OpenPGP keys", e);
        }
        return keys;
    }

    /** The keys the cluster's nodes discovered ({@code /keys/discovered}), loaded (bounded wait). */
    org.sealgate.zk.keys.ZkDiscoveredKeyStore discoveredKeys() throws ConfigStoreException {
        writer();
        org.sealgate.zk.keys.ZkDiscoveredKeyStore keys = org.sealgate.zk.keys.ZkDiscoveredKeyStores.forAdmin(client);
        keys.start();
        try {
            if (!keys.awaitInitialized(CONNECT_TIMEOUT)) {
                keys.close();
                throw new ConfigStoreException("the discovered keys in " + target.connect() + " were not read within "
                    + CONNECT_TIMEOUT.toSeconds() + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keys.close();
            throw new ConfigStoreException("interrupted while reading the discovered keys", e);
        }
        return keys;
    }

    /** The admin identity's client (for stores of their own, e.g. the console's admin accounts). */
    org.apache.curator.framework.CuratorFramework client() {
        return client;
    }

    ZkTarget target() {
        return target;
    }

    /** Every node in the registry. */
    List<NodeStatus> nodes() throws ConfigStoreException {
        return NodeRegistry.read(client);
    }

    /** Every node's live VIP claim ({@code sealgate vip watch}). */
    List<org.sealgate.vip.VipClaim> vipClaims() throws ConfigStoreException {
        return org.sealgate.vip.VipClaims.read(client);
    }

    /** Admin ALL, plus node READ when the node identity is known. */
    private static List<ACL> creatorAcls(ZkTarget target) {
        if (target.node().isPresent()) {
            return ConfigAcls.adminWritesNodesRead(target.admin().identity(), target.node().get().identity());
        }
        List<ACL> acls = new ArrayList<>();
        acls.add(new ACL(Perms.ALL, target.admin().identity()));
        return acls;
    }

    @Override
    public void close() {
        client.close();
    }
}
