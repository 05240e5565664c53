package org.sealgate.zk.store;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.ACL;

/** Identities and clients shared by the ZooKeeper tests. */
public final class ZkTestSupport {
    public static final DigestCredentials ADMIN = new DigestCredentials("admin", "admin-secret");
    public static final DigestCredentials NODE = new DigestCredentials("node", "node-secret");
    public static final List<ACL> ACLS = ConfigAcls.adminWritesNodesRead(ADMIN.identity(), NODE.identity());

    private ZkTestSupport() {
    }

    public static CuratorFramework startedAdmin(String connect) throws InterruptedException {
        return started(ZkClients.admin(connect, ZkClients.DEFAULT_NAMESPACE, ADMIN, ACLS));
    }

    public static CuratorFramework startedNode(String connect) throws InterruptedException {
        return started(ZkClients.node(connect, ZkClients.DEFAULT_NAMESPACE, NODE));
    }

    private static CuratorFramework started(CuratorFramework client) throws InterruptedException {
        client.start();
        if (!client.blockUntilConnected(10, TimeUnit.SECONDS)) {
            client.close();
            throw new IllegalStateException("no connection to ZooKeeper within 10 s");
        }
        return client;
    }
}
