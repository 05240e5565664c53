package org.sealgate.zk.keys;

import java.nio.file.Path;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Id;

/** Creates {@link ZkDiscoveredKeyStore}s. The caller starts and closes the Curator client. */
public final class ZkDiscoveredKeyStores {

    private ZkDiscoveredKeyStores() {
    }

    /**
     * A node's store: writes in the background and keeps a local copy to start from while ZooKeeper is unreachable.
     *
     * @param node      the node's digest identity, given READ and WRITE on the entries it creates (any node may
     *                  replace a key with a newer copy of it)
     * @param localCopy node-local file, e.g. {@code DATA/cluster/discovered-keys-copy.json}
     */
    public static ZkDiscoveredKeyStore forNode(CuratorFramework client, Id node, Path localCopy) {
        return new ZkDiscoveredKeyStoreImpl(client, Optional.of(node), Optional.of(new LocalKeyCopy(localCopy)));
    }

    /** An administrator's store (CLI: list, remove): every write is synchronous; no local copy. */
    public static ZkDiscoveredKeyStore forAdmin(CuratorFramework client) {
        return new ZkDiscoveredKeyStoreImpl(client, Optional.empty(), Optional.empty());
    }
}
