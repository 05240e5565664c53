package org.sealgate.zk.store;

import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.data.ACL;

/**
 * Curator clients as Sealgate uses them: one chroot (Curator namespace), digest authentication, and a retry
 * policy that keeps trying for a while rather than failing the first operation after a blip. Returned unstarted.
 */
public final class ZkClients {
    public static final String DEFAULT_NAMESPACE = "sealgate";
    private static final int SESSION_TIMEOUT_MS = 15_000;
    private static final int CONNECTION_TIMEOUT_MS = 5_000;

    private ZkClients() {
    }

    /** An administrator's client: writes, and everything it creates carries the given ACLs. */
    public static CuratorFramework admin(String connectString, String namespace, DigestCredentials admin, List<ACL> acls) {
        return base(connectString, namespace)
            .authorization("digest", admin.authBytes())
            .aclProvider(ConfigAcls.provider(acls))
            .build();
    }

    /** A node's client: reads only; the ACLs grant its digest identity READ. */
    public static CuratorFramework node(String connectString, String namespace, DigestCredentials node) {
        return base(connectString, namespace).authorization("digest", node.authBytes()).build();
    }

    private static CuratorFrameworkFactory.Builder base(String connectString, String namespace) {
        return CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .namespace(namespace)
            .sessionTimeoutMs(SESSION_TIMEOUT_MS)
            .connectionTimeoutMs(CONNECTION_TIMEOUT_MS)
            .retryPolicy(new BoundedExponentialBackoffRetry(100, 2_000, 10));
    }
}
