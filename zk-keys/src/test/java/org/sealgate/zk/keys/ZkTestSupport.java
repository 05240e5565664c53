package org.sealgate.zk.keys;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.ACL;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/** Identities and clients of the key store tests (as zk-config's tests use them). */
final class ZkTestSupport {
    static final DigestCredentials ADMIN = new DigestCredentials("admin", "admin-secret");
    static final DigestCredentials NODE = new DigestCredentials("node", "node-secret");
    static final List<ACL> ACLS = ConfigAcls.adminWritesNodesRead(ADMIN.identity(), NODE.identity());

    private ZkTestSupport() {
    }

    static CuratorFramework startedAdmin(String connect) throws InterruptedException {
        return started(ZkClients.admin(connect, ZkClients.DEFAULT_NAMESPACE, ADMIN, ACLS));
    }

    static CuratorFramework startedNode(String connect) throws InterruptedException {
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
