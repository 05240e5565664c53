package org.sealgate.zk.revocation;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Id;

/** Creates {@link SharedCrlFolder}s. */
public final class SharedCrlFolders {
    /** Larger entries are not shared (ZooKeeper's default jute.maxbuffer is 1 MB): each node fetches them itself. */
    public static final int MAX_SHARED_BYTES = 900 * 1024;

    private SharedCrlFolders() {
    }

    /**
     * @param client a client of the Sealgate chroot (the node identity); the caller starts and closes it
     * @param node   the identity the client authenticates as: it gets READ|WRITE on the entries it creates, so any
     *               node can replace a CRL with a newer one
     */
    public static SharedCrlFolder watch(CuratorFramework client, Id node) {
        return new SharedCrlFolderImpl(client, node, MAX_SHARED_BYTES);
    }
}
