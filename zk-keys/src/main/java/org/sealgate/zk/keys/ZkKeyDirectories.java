package org.sealgate.zk.keys;

import java.nio.file.Path;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Id;

/** Creates {@link ZkKeyDirectory}s. The caller starts and closes the Curator client. */
public final class ZkKeyDirectories {

    private ZkKeyDirectories() {
    }

    /**
     * A node's key directory: reads everything, harvests into {@code /keys/harvested}, and keeps a local copy of
     * the raw entries (sealed keys stay sealed) to start from while ZooKeeper is unreachable.
     *
     * @param node      the node's digest identity, given READ on the certificates it harvests
     * @param masterKey opens managed users' keys; without it the node has no managed keys (logged)
     * @param localCopy node-local file, e.g. {@code DATA/cluster/keys-copy.json}
     */
    public static ZkKeyDirectory forNode(CuratorFramework client, Id node, Optional<ClusterMasterKey> masterKey, Path localCopy) {
        return new ZkKeyDirectoryImpl(client, Optional.of(node), masterKey, Optional.of(new LocalKeyCopy(localCopy)));
    }

    /** An administrator's key directory (CLI): every write is synchronous; no local copy. */
    public static ZkKeyDirectory forAdmin(CuratorFramework client, Optional<ClusterMasterKey> masterKey) {
        return new ZkKeyDirectoryImpl(client, Optional.empty(), masterKey, Optional.empty());
    }
}
