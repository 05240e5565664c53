package org.sealgate.zk.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealgate.zk.config.Documents;
import org.sealgate.zk.store.ConfigAccessDeniedException;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkTestSupport;

/**
 * The cluster admin token in a real ZooKeeper: made once, read back by every admin; the node identity reads only
 * its digest, the GINA portal's identity neither; a token of another cluster does not match.
 */
class ClusterAdminTokenTest {
    private static final DigestCredentials GINA = new DigestCredentials("gina", "gina-secret");

    private TestingServer zooKeeper;
    private CuratorFramework admin;
    private CuratorFramework node;
    private CuratorFramework gina;

    @BeforeEach
    void start() throws Exception {
        zooKeeper = new TestingServer(true);
        admin = ZkTestSupport.startedAdmin(zooKeeper.getConnectString());
        node = ZkTestSupport.startedNode(zooKeeper.getConnectString());
        gina = ZkClients.node(zooKeeper.getConnectString(), ZkClients.DEFAULT_NAMESPACE, GINA);
        gina.start();
        assertThat(gina.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        ConfigStore store = new ConfigStore(admin, ZkTestSupport.ACLS, "cli-admin");
        store.initialize();
        store.apply(Documents.valid("opportunistic"), 0);
    }

    @AfterEach
    void stop() throws Exception {
        for (CuratorFramework client : new CuratorFramework[] {gina, node, admin}) {
            if (client != null) {
                client.close();
            }
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
    }

    @Test
    void theTokenShouldBeMadeOnceAndItsDigestShouldMatchOnlyIt() throws Exception {
        String token = ClusterAdminToken.readOrCreate(admin);
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(ClusterAdminToken.readOrCreate(admin)).isEqualTo(token);
        assertThat(ClusterAdminToken.read(admin)).contains(token);

        byte[] digest = ClusterAdminToken.readDigest(node).orElseThrow();
        assertThat(ClusterAdminToken.matches(digest, token)).isTrue();
        assertThat(ClusterAdminToken.matches(digest, token + "x")).isFalse();
        assertThat(ClusterAdminToken.matches(digest, "")).isFalse();
        assertThat(ClusterAdminToken.matches(digest, null)).isFalse();
        assertThat(new String(digest, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(token);
    }

    @Test
    void theNodeIdentityShouldReadOnlyTheDigestAndThePortalIdentityNeither() throws Exception {
        ClusterAdminToken.readOrCreate(admin);

        assertThatThrownBy(() -> ClusterAdminToken.read(node)).isInstanceOf(ConfigAccessDeniedException.class);
        assertThat(ClusterAdminToken.readDigest(node)).isPresent();
        assertThatThrownBy(() -> ClusterAdminToken.read(gina)).isInstanceOf(ConfigAccessDeniedException.class);
        assertThatThrownBy(() -> ClusterAdminToken.readDigest(gina)).isInstanceOf(ConfigAccessDeniedException.class);
        // Nor can either of them replace it with one of their own.
        assertThatThrownBy(() -> node.setData().forPath(ClusterAdminToken.DIGEST, new byte[32]))
            .isInstanceOf(org.apache.zookeeper.KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> gina.delete().forPath(ClusterAdminToken.TOKEN))
            .isInstanceOf(org.apache.zookeeper.KeeperException.NoAuthException.class);
    }

    @Test
    void anotherClustersTokenShouldNotMatch() throws Exception {
        String ours = ClusterAdminToken.readOrCreate(admin);
        try (TestingServer other = new TestingServer(true);
             CuratorFramework otherAdmin = ZkTestSupport.startedAdmin(other.getConnectString())) {
            ConfigStore store = new ConfigStore(otherAdmin, ZkTestSupport.ACLS, "cli-admin");
            store.initialize();
            store.apply(Documents.valid("opportunistic"), 0);
            String theirs = ClusterAdminToken.readOrCreate(otherAdmin);

            assertThat(theirs).isNotEqualTo(ours);
            assertThat(ClusterAdminToken.matches(ClusterAdminToken.readDigest(node).orElseThrow(), theirs)).isFalse();
        }
    }

    @Test
    void beforeTheConfigurationExistsNoTokenShouldBeMade() throws Exception {
        try (TestingServer empty = new TestingServer(true);
             CuratorFramework emptyAdmin = ZkTestSupport.startedAdmin(empty.getConnectString())) {
            assertThatThrownBy(() -> ClusterAdminToken.readOrCreate(emptyAdmin))
                .hasMessageContaining("no configuration yet");
            assertThat(ClusterAdminToken.read(emptyAdmin)).isEmpty();
        }
    }
}
