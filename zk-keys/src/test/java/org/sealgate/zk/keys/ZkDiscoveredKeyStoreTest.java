package org.sealgate.zk.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.awaitility.Awaitility;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeys;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkLayout;
import org.sealgate.zk.store.ZkTestSupport;

/**
 * Discovered keys shared through a real ZooKeeper: what one node finds every node (and the admin's {@code keys list})
 * sees with its source; a key is one entry per kind and fingerprint, a revocation once stored survives an older copy;
 * nodes may replace and evict entries there and nowhere else, and nobody without credentials reads them.
 */
class ZkDiscoveredKeyStoreTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @TempDir
    static Path directory;
    static TestingServer server;
    static CuratorFramework adminClient;
    static CuratorFramework nodeAClient;
    static CuratorFramework nodeBClient;
    static ZkDiscoveredKeyStore admin;
    static ZkDiscoveredKeyStore nodeA;
    static ZkDiscoveredKeyStore nodeB;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
        adminClient = ZkTestSupport.startedAdmin(server.getConnectString());
        nodeAClient = ZkTestSupport.startedNode(server.getConnectString());
        nodeBClient = ZkTestSupport.startedNode(server.getConnectString());
        new ConfigStore(adminClient, ZkTestSupport.ACLS, "admin").initialize();
        admin = ZkDiscoveredKeyStores.forAdmin(adminClient);
        nodeA = ZkDiscoveredKeyStores.forNode(nodeAClient, ZkTestSupport.NODE.identity(), directory.resolve("a/copy.json"));
        nodeB = ZkDiscoveredKeyStores.forNode(nodeBClient, ZkTestSupport.NODE.identity(), directory.resolve("b/copy.json"));
        for (ZkDiscoveredKeyStore store : List.of(admin, nodeA, nodeB)) {
            store.start();
            assertThat(store.awaitInitialized(WITHIN)).isTrue();
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        nodeA.close();
        nodeB.close();
        admin.close();
        nodeAClient.close();
        nodeBClient.close();
        adminClient.close();
        server.close();
    }

    @Test
    void keyFoundByOneNodeShouldBeUsableOnTheOtherWithItsSource() throws Exception {
        OpenPGPCertificate carol = PgpKeys.generate("Carol <carol@partner.example>", 4).toCertificate();
        Instant found = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        nodeA.store(DiscoveredKey.openPgp("Carol@Partner.Example", "wkd https://partner.example/wkd", found, carol));

        assertThat(nodeA.keysFor("carol@partner.example")).hasSize(1);   // usable here before ZooKeeper has it
        Awaitility.await().atMost(WITHIN).until(() -> !nodeB.keysFor("carol@partner.example").isEmpty());
        DiscoveredKey seen = nodeB.keysFor("CAROL@partner.example").get(0);
        assertThat(seen.kind()).isEqualTo(DiscoveredKey.Kind.OPENPGP);
        assertThat(seen.source()).isEqualTo("wkd https://partner.example/wkd");
        assertThat(seen.foundAt()).isEqualTo(found);
        assertThat(PgpKeys.fingerprint(seen.pgpCertificate())).isEqualTo(PgpKeys.fingerprint(carol));
        Awaitility.await().atMost(WITHIN).until(() -> !admin.keysFor("carol@partner.example").isEmpty());
        assertThat(adminClient.getChildren().forPath(ZkLayout.DISCOVERED))
            .contains("openpgp-" + PgpKeys.fingerprint(carol).toLowerCase());
    }

    @Test
    void revocationOnceStoredShouldSurviveANewerCopyWithoutIt() throws Exception {
        OpenPGPKey dave = PgpKeys.generate("Dave <dave@partner.example>", 4);
        OpenPGPCertificate revoked = PgpKeys.api().editKey(dave).revokeKey().done().toCertificate();
        Instant first = Instant.now().minus(Duration.ofHours(1));
        nodeA.store(DiscoveredKey.openPgp("dave@partner.example", "wkd", first, dave.toCertificate()));
        awaitStored(dave.toCertificate(), first);

        nodeB.store(DiscoveredKey.openPgp("dave@partner.example", "hkp", first.plusSeconds(60), revoked));
        awaitStored(dave.toCertificate(), first.plusSeconds(60));
        // A source (or an attacker) serving the older, unrevoked copy again does not undo the revocation.
        nodeA.store(DiscoveredKey.openPgp("dave@partner.example", "wkd", first.plusSeconds(120), dave.toCertificate()));
        awaitStored(dave.toCertificate(), first.plusSeconds(120));

        for (ZkDiscoveredKeyStore store : List.of(nodeA, nodeB, admin)) {
            List<DiscoveredKey> keys = store.keysFor("dave@partner.example");
            assertThat(keys).as("one entry per key").hasSize(1);
            assertThat(keys.get(0).source()).isEqualTo("wkd");
            assertThat(PgpKeys.isRevoked(keys.get(0).pgpCertificate(), new Date())).as("revoked on every node").isTrue();
        }
    }

    @Test
    void nodesShouldEvictKeysPastTheirMaximumAgeAndAdminsRemoveByAddress() throws Exception {
        OpenPGPCertificate old = PgpKeys.generate("Erin <erin@partner.example>", 4).toCertificate();
        OpenPGPCertificate fresh = PgpKeys.generate("Erin <erin@partner.example>", 4).toCertificate();
        OpenPGPCertificate other = PgpKeys.generate("Finn <finn@partner.example>", 4).toCertificate();
        Instant now = Instant.now();
        nodeA.store(DiscoveredKey.openPgp("erin@partner.example", "hkp", now.minus(Duration.ofDays(40)), old));
        nodeA.store(DiscoveredKey.openPgp("erin@partner.example", "hkp", now, fresh));
        nodeA.store(DiscoveredKey.openPgp("finn@partner.example", "hkp", now, other));
        awaitStored(old, now.minus(Duration.ofDays(40)));
        awaitStored(fresh, now);
        awaitStored(other, now);

        // At least Erin's old key (other tests' entries are all recent; a damaged entry would go too).
        assertThat(nodeB.removeFoundBefore(now.minus(Duration.ofDays(30)))).isGreaterThanOrEqualTo(1);
        Awaitility.await().atMost(WITHIN).until(() -> nodeA.keysFor("erin@partner.example").size() == 1);
        assertThat(PgpKeys.fingerprint(nodeA.keysFor("erin@partner.example").get(0).pgpCertificate()))
            .isEqualTo(PgpKeys.fingerprint(fresh));

        assertThat(admin.remove("Finn@partner.example")).isEqualTo(1);
        Awaitility.await().atMost(WITHIN).until(() -> nodeB.keysFor("finn@partner.example").isEmpty());
    }

    @Test
    void entryNotNamedByItsKeyShouldBeSkipped() throws Exception {
        OpenPGPCertificate real = PgpKeys.generate("Gail <gail@partner.example>", 4).toCertificate();
        OpenPGPCertificate planted = PgpKeys.generate("Gail <gail@partner.example>", 4).toCertificate();
        // A node-identity client writing another key's bytes under a known key's name: the entry is not used.
        String name = "openpgp-" + PgpKeys.fingerprint(real).toLowerCase();
        nodeAClient.create().forPath(ZkLayout.child(ZkLayout.DISCOVERED, name),
            DiscoveredEntries.encode(DiscoveredKey.openPgp("gail@partner.example", "wkd", Instant.now(), planted)));
        Awaitility.await().atMost(WITHIN).until(() -> nodeB.describe().contains("from ZooKeeper"));
        Thread.sleep(500);   // the cache has had time to see the entry
        assertThat(nodeB.keysFor("gail@partner.example")).isEmpty();
    }

    @Test
    void nodeIdentityShouldWriteNowhereElseAndStrangersReadNothing() throws Exception {
        OpenPGPCertificate hal = PgpKeys.generate("Hal <hal@partner.example>", 4).toCertificate();
        Instant found = Instant.now();
        nodeA.store(DiscoveredKey.openPgp("hal@partner.example", "hkp", found, hal));
        awaitStored(hal, found);
        String path = ZkLayout.child(ZkLayout.DISCOVERED, DiscoveredKeys.identity(
            DiscoveredKey.openPgp("hal@partner.example", "hkp", found, hal)));

        // The node may not put a discovered key where imported keys live.
        assertThat(catching(() -> nodeAClient.create().forPath(ZkLayout.child(ZkLayout.PGP_PUBLIC, "x"), new byte[1])))
            .isInstanceOf(KeeperException.NoAuthException.class);
        try (CuratorFramework stranger = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
            .namespace(nodeAClient.getNamespace()).retryPolicy(new RetryOneTime(100)).build()) {
            stranger.start();
            stranger.blockUntilConnected();
            assertThat(catching(() -> stranger.getData().forPath(path))).isInstanceOf(KeeperException.NoAuthException.class);
            assertThat(catching(() -> stranger.getChildren().forPath(ZkLayout.DISCOVERED)))
                .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    @Test
    void keyFoundWhileZooKeeperIsDownShouldBeUsableAtOnceAndStoredAfterReconnecting() throws Exception {
        OpenPGPCertificate kim = PgpKeys.generate("Kim <kim@partner.example>", 4).toCertificate();
        DiscoveredKey found = DiscoveredKey.openPgp("kim@partner.example", "hkp", Instant.now(), kim);
        String path = ZkLayout.child(ZkLayout.DISCOVERED, DiscoveredKeys.identity(found));
        try (TestingServer own = new TestingServer(true);
             CuratorFramework ownAdmin = ZkTestSupport.startedAdmin(own.getConnectString());
             CuratorFramework ownNode = ZkTestSupport.startedNode(own.getConnectString())) {
            new ConfigStore(ownAdmin, ZkTestSupport.ACLS, "admin").initialize();
            try (ZkDiscoveredKeyStore store = ZkDiscoveredKeyStores.forNode(ownNode, ZkTestSupport.NODE.identity(),
                directory.resolve("outage/copy.json"))) {
                store.start();
                assertThat(store.awaitInitialized(WITHIN)).isTrue();
                own.stop();
                Awaitility.await().atMost(WITHIN).until(() -> !ownNode.getZookeeperClient().isConnected());
                store.store(found);
                assertThat(store.keysFor("kim@partner.example")).hasSize(1);
                assertThat(store.describe()).contains("1 not yet stored");

                own.restart();
                Awaitility.await().atMost(WITHIN).until(() -> ownAdmin.checkExists().forPath(path) != null);
                Awaitility.await().atMost(WITHIN).until(() -> !store.describe().contains("not yet stored"));
                assertThat(store.keysFor("kim@partner.example")).hasSize(1);
            }
        }
    }

    @Test
    void storeMadeBeforeTheFolderExistedShouldStartAtOnceAndHoldFindsUntilAnAdminAddsIt() throws Exception {
        OpenPGPCertificate lou = PgpKeys.generate("Lou <lou@partner.example>", 4).toCertificate();
        try (TestingServer own = new TestingServer(true);
             CuratorFramework ownNode = ZkTestSupport.startedNode(own.getConnectString());
             ZkDiscoveredKeyStore store = ZkDiscoveredKeyStores.forNode(ownNode, ZkTestSupport.NODE.identity(),
                 directory.resolve("old/copy.json"))) {
            store.start();
            // An older cluster without /keys/discovered: the node must not wait for it at start.
            assertThat(store.awaitInitialized(Duration.ofSeconds(5))).isTrue();
            store.store(DiscoveredKey.openPgp("lou@partner.example", "hkp", Instant.now(), lou));
            assertThat(store.keysFor("lou@partner.example")).as("usable here while it cannot be written").hasSize(1);
        }
    }

    private static void awaitStored(OpenPGPCertificate certificate, Instant found) {
        String fingerprint = PgpKeys.fingerprint(certificate);
        Awaitility.await().atMost(WITHIN).until(() -> List.of(nodeA, nodeB, admin).stream().allMatch(store ->
            store.all().stream().anyMatch(key -> key.kind() == DiscoveredKey.Kind.OPENPGP
                && PgpKeys.fingerprint(key.pgpCertificate()).equals(fingerprint) && !key.foundAt().isBefore(found))));
    }

    private interface Action {
        void run() throws Exception;
    }

    private static Exception catching(Action action) {
        try {
            action.run();
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
