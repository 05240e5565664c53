package org.sealgate.zk.store;

import java.util.List;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.data.ACL;
import org.sealgate.zk.tls.ZkTlsSettings;

/**
 * Curator clients as Sealgate uses them: one chroot (Curator namespace), digest authentication, and a retry
 * policy that keeps trying for a while rather than failing the first operation after a blip. Returned unstarted.
 * With {@link ZkTlsSettings} the client speaks TLS only (its own client configuration, never JVM-wide system
 * properties); without, plaintext (tests, benchmarks, a ZooKeeper reached over a trusted link).
 */
public final class ZkClients {
    public static final String DEFAULT_NAMESPACE = "sealgate";
    private static final int SESSION_TIMEOUT_MS = 15_000;
    private static final int CONNECTION_TIMEOUT_MS = 5_000;

    private ZkClients() {
    }

    /** An administrator's client: writes, and everything it creates carries the given ACLs. */
    public static CuratorFramework admin(String connectString, String namespace, DigestCredentials admin, List<ACL> acls) {
        return admin(connectString, namespace, admin, acls, Optional.empty());
    }

    /** {@link #admin(String, String, DigestCredentials, List)} over TLS when {@code tls} is present. */
    public static CuratorFramework admin(String connectString, String namespace, DigestCredentials admin, List<ACL> acls,
                                         Optional<ZkTlsSettings> tls) {
        return base(connectString, namespace, tls)
            .authorization("digest", admin.authBytes())
            .aclProvider(ConfigAcls.provider(acls))
            .build();
    }

    /** A node's client: reads only; the ACLs grant its digest identity READ. */
    public static CuratorFramework node(String connectString, String namespace, DigestCredentials node) {
        return node(connectString, namespace, node, Optional.empty());
    }

    /** {@link #node(String, String, DigestCredentials)} over TLS when {@code tls} is present. */
    public static CuratorFramework node(String connectString, String namespace, DigestCredentials node,
                                        Optional<ZkTlsSettings> tls) {
        return base(connectString, namespace, tls).authorization("digest", node.authBytes()).build();
    }

    private static CuratorFrameworkFactory.Builder base(String connectString, String namespace, Optional<ZkTlsSettings> tls) {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder();
        tls.ifPresent(settings -> builder.zkClientConfig(settings.clientConfig()));
        return builder
            .connectString(connectString)
            .namespace(namespace)
            .sessionTimeoutMs(SESSION_TIMEOUT_MS)
            .connectionTimeoutMs(CONNECTION_TIMEOUT_MS)
            .retryPolicy(new BoundedExponentialBackoffRetry(100, 2_000, 10));
    }
}
