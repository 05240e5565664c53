package org.sealgate.zk.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkLayout;
import org.sealgate.zk.store.ZkTestSupport;

/** The node registry on a real ZooKeeper server: ephemeral, updated, re-created after the session expired. */
class NodeRegistrationTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final Duration FAST = Duration.ofMillis(200);

    static TestingServer server;
    static CuratorFramework admin;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
        admin = ZkTestSupport.startedAdmin(server.getConnectString());
        new ConfigStore(admin, ZkTestSupport.ACLS, "admin").initialize();
    }

    @AfterAll
    static void stopServer() throws Exception {
        admin.close();
        server.close();
    }

    @Test
    void entryShouldFollowTheStatusAndComeBackAfterSessionExpiry() throws Exception {
        AtomicInteger version = new AtomicInteger(1);
        CuratorFramework node = ZkTestSupport.startedNode(server.getConnectString());
        try (NodeRegistration registration = NodeRegistry.register(node, ZkTestSupport.NODE.identity(), "node-a",
            () -> status("node-a", version.get()), FAST)) {
            registration.start();
            await().atMost(WITHIN).until(() -> NodeRegistry.read(admin).stream().anyMatch(s -> s.configVersion() == 1));
            Stat first = admin.checkExists().forPath(ZkLayout.child(ZkLayout.NODES, "node-a"));
            assertThat(first.getEphemeralOwner()).isNotZero();

            version.set(2);
            registration.refresh();
            await().atMost(WITHIN).until(() -> NodeRegistry.read(admin).stream().anyMatch(s -> s.configVersion() == 2));

            // The session expires (as after a long network partition): ZooKeeper drops the entry; it comes back.
            KillSession.kill(node.getZookeeperClient().getZooKeeper());
            await().atMost(WITHIN).until(() -> {
                Stat now = admin.checkExists().forPath(ZkLayout.child(ZkLayout.NODES, "node-a"));
                return now != null && now.getEphemeralOwner() != first.getEphemeralOwner() && registration.isRegistered();
            });
            assertThat(NodeRegistry.read(admin)).extracting(NodeStatus::id).containsExactly("node-a");

            // A node may change its own kind of entry but not delete entries or write elsewhere.
            assertThatThrownBy(() -> node.delete().forPath(ZkLayout.child(ZkLayout.NODES, "node-a")))
                .isInstanceOf(KeeperException.NoAuthException.class);
        } finally {
            node.close();
        }
        // Session closed: the ephemeral entry is gone.
        await().atMost(WITHIN).until(() -> NodeRegistry.read(admin).isEmpty());
    }

    private static NodeStatus status(String id, int configVersion) {
        return new NodeStatus(id, List.of("127.0.0.1:25"), "primary", configVersion, null,
            "config version " + configVersion + " up to date", "2026-01-01T00:00:00Z");
    }
}
