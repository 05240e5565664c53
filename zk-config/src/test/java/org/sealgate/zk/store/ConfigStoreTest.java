package org.sealgate.zk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.Documents;
import org.sealgate.zk.config.InvalidConfigException;

class ConfigStoreTest {
    private TestingServer server;
    private CuratorFramework admin;
    private ConfigStore store;

    @BeforeEach
    void startZooKeeper() throws Exception {
        server = new TestingServer(true);
        admin = ZkTestSupport.startedAdmin(server.getConnectString());
        store = new ConfigStore(admin, ZkTestSupport.ACLS, "alice");
        store.initialize();
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        admin.close();
        server.close();
    }

    @Test
    void applyShouldStoreVersionsThatShowAndHistoryReport() throws Exception {
        assertThat(store.show()).isEmpty();

        HistoryEntry first = store.apply(Documents.valid("opportunistic"), 0);
        HistoryEntry second = store.apply(Documents.valid("required"), 1);

        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        StoredConfig shown = store.show().orElseThrow();
        assertThat(shown.version()).isEqualTo(2);
        assertThat(shown.document()).isEqualTo(Documents.valid("required"));
        assertThat(store.history()).extracting(HistoryEntry::version, HistoryEntry::author, HistoryEntry::sha256)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "alice", ConfigDocument.parse(Documents.valid("opportunistic")).sha256()),
                org.assertj.core.groups.Tuple.tuple(2, "alice", ConfigDocument.parse(Documents.valid("required")).sha256()));
        assertThat(store.history().get(1).size()).isEqualTo(Documents.valid("required").getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void rollbackShouldApplyTheOldDocumentAsANewVersion() throws Exception {
        store.apply(Documents.valid("opportunistic"), 0);
        store.apply(Documents.valid("required"), 1);

        HistoryEntry rolledBack = store.rollback(1);

        assertThat(rolledBack.version()).isEqualTo(3);
        assertThat(store.show().orElseThrow().document()).isEqualTo(Documents.valid("opportunistic"));
        assertThat(store.history()).extracting(HistoryEntry::version).containsExactly(1, 2, 3);
        assertThat(store.history().get(2).sha256()).isEqualTo(store.history().get(0).sha256());
    }

    @Test
    void diffShouldShowChangedLinesAgainstTheCurrentVersion() throws Exception {
        store.apply(Documents.valid("opportunistic"), 0);

        String diff = store.diff(Documents.valid("required"));

        assertThat(diff).startsWith("--- version 1\n+++ new document\n@@ -3 +3 @@\n")
            .contains("-    encrypt: opportunistic\n+    encrypt: required\n");
        assertThat(store.diff(Documents.valid("opportunistic"))).startsWith("no differences");
    }

    @Test
    void applyShouldRefuseInvalidDocumentsAndLeaveZooKeeperUnchanged() throws Exception {
        store.apply(Documents.valid(), 0);
        String full = Documents.valid("required");

        assertThatThrownBy(() -> store.apply(full.replace("port: 8443", "port: eighty"), 1))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("gina.port (line 19");
        assertThatThrownBy(() -> store.apply(full.replace("priority: 100", "priority: 150"), 1))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("VRRP priorities must be unique");
        assertThatThrownBy(() -> store.apply(full.substring(0, full.indexOf("192.168")), 1))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("truncated or garbled");

        assertThat(store.show().orElseThrow().version()).isEqualTo(1);
        assertThat(store.show().orElseThrow().document()).isEqualTo(Documents.valid());
        assertThat(store.history()).hasSize(1);
    }

    @Test
    void applyShouldRefuseConcurrentWriterWithConflictError() throws Exception {
        store.apply(Documents.valid(), 0);
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<CuratorFramework> clients = new ArrayList<>();
        try {
            List<Future<Object>> outcomes = new ArrayList<>();
            for (String mode : List.of("required", "off")) {
                CuratorFramework client = ZkTestSupport.startedAdmin(server.getConnectString());
                clients.add(client);
                ConfigStore own = new ConfigStore(client, ZkTestSupport.ACLS, "admin-" + mode);
                outcomes.add(threads.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    try {
                        return own.apply(Documents.valid(mode), 1);
                    } catch (ConfigConflictException e) {
                        return e;
                    }
                }));
            }
            List<Object> results = new ArrayList<>();
            for (Future<Object> outcome : outcomes) {
                results.add(outcome.get(20, TimeUnit.SECONDS));
            }

            assertThat(results).filteredOn(HistoryEntry.class::isInstance).hasSize(1);
            assertThat(results).filteredOn(ConfigConflictException.class::isInstance).singleElement()
                .satisfies(e -> {
                    ConfigConflictException conflict = (ConfigConflictException) e;
                    assertThat(conflict.currentVersion()).isEqualTo(2);
                    assertThat(conflict).hasMessageContaining("based on version 1 but version 2 is current");
                });
            HistoryEntry winner = (HistoryEntry) results.stream().filter(HistoryEntry.class::isInstance).findFirst().orElseThrow();
            assertThat(store.history()).extracting(HistoryEntry::version).containsExactly(1, 2);
            assertThat(ConfigDocument.parse(store.show().orElseThrow().document()).sha256()).isEqualTo(winner.sha256());
        } finally {
            threads.shutdownNow();
            clients.forEach(CuratorFramework::close);
        }
    }

    @Test
    void writesShouldBeRefusedWithNoAuthForClientsWithoutAdminCredentials() throws Exception {
        store.apply(Documents.valid(), 0);
        try (CuratorFramework node = ZkTestSupport.startedNode(server.getConnectString())) {
            ConfigStore asNode = new ConfigStore(node, ZkTestSupport.ACLS, "intruder");

            assertThat(asNode.show().orElseThrow().version()).isEqualTo(1);
            assertThatThrownBy(() -> asNode.apply(Documents.valid("off"), 1))
                .isInstanceOf(ConfigAccessDeniedException.class)
                .hasCauseInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> node.setData().forPath(ZkLayout.CONFIG, "x: 1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> node.delete().forPath(ZkLayout.historyPath(1)))
                .isInstanceOf(KeeperException.NoAuthException.class);
        }
        assertThat(store.show().orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void credentialsShouldComeFromAFileAndNeverShowThePassword(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("admin.digest");
        Files.writeString(file, "# admin login\nadmin:admin-secret\n");

        DigestCredentials credentials = DigestCredentials.fromFile(file);

        assertThat(credentials.identity()).isEqualTo(ZkTestSupport.ADMIN.identity());
        assertThat(credentials.toString()).doesNotContain("admin-secret");
    }

    @Test
    void applyAndRollbackShouldPublishThePortalSettingsThatOnlyTheGinaIdentityMayRead() throws Exception {
        DigestCredentials gina = new DigestCredentials("gina", "gina-secret");
        // As AccountStores.prepare does it: /gina for the admin and the GINA identity, READ on the chroot node.
        java.util.List<org.apache.zookeeper.data.ACL> chroot = new ArrayList<>(admin.getACL().forPath("/"));
        chroot.add(new org.apache.zookeeper.data.ACL(org.apache.zookeeper.ZooDefs.Perms.READ, gina.identity()));
        admin.setACL().withACL(chroot).forPath("/");
        admin.create().withACL(List.of(new org.apache.zookeeper.data.ACL(org.apache.zookeeper.ZooDefs.Perms.ALL, ZkTestSupport.ADMIN.identity()),
            new org.apache.zookeeper.data.ACL(org.apache.zookeeper.ZooDefs.Perms.ALL, gina.identity()))).forPath(ZkLayout.GINA);

        store.apply(Documents.valid().replace("  port: 8443\n", "  port: 8443\n  session-minutes: 1\n"), 0);
        try (CuratorFramework portal = ZkClients.node(server.getConnectString(), ZkClients.DEFAULT_NAMESPACE, gina)) {
            portal.start();
            assertThat(portal.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            GinaSettingsNode published = GinaSettingsNode.decode(portal.getData().forPath(ZkLayout.GINA_SETTINGS));
            assertThat(published.version()).isEqualTo(1);
            assertThat(published.settings().sessionMinutes()).isEqualTo(1);
            assertThat(published.settings().repliesPerHour()).isEqualTo(20);

            store.apply(Documents.valid("required"), 1);
            store.rollback(1);
            published = GinaSettingsNode.decode(portal.getData().forPath(ZkLayout.GINA_SETTINGS));
            assertThat(published.version()).isEqualTo(3);
            assertThat(published.settings().sessionMinutes()).isEqualTo(1);

            assertThatThrownBy(() -> portal.getData().forPath(ZkLayout.CONFIG))
                .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> portal.setData().forPath(ZkLayout.GINA_SETTINGS, new byte[] {'{', '}'}))
                .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> portal.delete().forPath(ZkLayout.GINA_SETTINGS))
                .isInstanceOf(KeeperException.NoAuthException.class);
        }
        try (CuratorFramework node = ZkTestSupport.startedNode(server.getConnectString())) {
            assertThatThrownBy(() -> node.setData().forPath(ZkLayout.GINA_SETTINGS, new byte[] {'{', '}'}))
                .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    @Test
    void applyWithoutPreparedGinaShouldWriteNoPortalSettingsAndPublishShouldOnceItIsPrepared() throws Exception {
        assertThat(store.publishGinaSettings()).as("nothing applied yet").isFalse();
        store.apply(Documents.valid().replace("  port: 8443\n", "  port: 8443\n  replies-per-hour: 7\n"), 0);

        assertThat(admin.checkExists().forPath(ZkLayout.GINA_SETTINGS)).isNull();
        assertThat(store.publishGinaSettings()).as("no /gina").isFalse();

        admin.create().forPath(ZkLayout.GINA);
        assertThat(store.publishGinaSettings()).isTrue();
        GinaSettingsNode published = GinaSettingsNode.decode(admin.getData().forPath(ZkLayout.GINA_SETTINGS));
        assertThat(published.version()).isEqualTo(1);
        assertThat(published.settings().repliesPerHour()).isEqualTo(7);
    }
}
