package org.sealgate.zk.keys;

import java.nio.file.Path;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Id;

/** Creates {@link ZkPgpKeyDirectory}s. The caller starts and closes the Curator client. */
public final class ZkPgpKeyDirectories {

    private ZkPgpKeyDirectories() {
    }

    /**
     * A node's OpenPGP directory: reads everything, harvests into {@code /keys/pgp/harvested}, and keeps a local copy
     * of the raw entries (secret keys stay sealed) to start from while ZooKeeper is unreachable.
     *
     * @param node      the node's digest identity, given READ on the keys it harvests
     * @param masterKey opens managed users' secret keys; without it the node has no managed keys (logged)
     * @param localCopy node-local file, e.g. {@code DATA/cluster/pgp-keys-copy.json}
     */
    public static ZkPgpKeyDirectory forNode(CuratorFramework client, Id node, Optional<ClusterMasterKey> masterKey,
                                            Path localCopy) {
        return new ZkPgpKeyDirectoryImpl(client, Optional.of(node), masterKey, Optional.of(new LocalKeyCopy(localCopy)));
    }

    /** An administrator's OpenPGP directory (CLI): every write is synchronous; no local copy. */
    public static ZkPgpKeyDirectory forAdmin(CuratorFramework client, Optional<ClusterMasterKey> masterKey) {
        return new ZkPgpKeyDirectoryImpl(client, Optional.empty(), masterKey, Optional.empty());
    }
}
