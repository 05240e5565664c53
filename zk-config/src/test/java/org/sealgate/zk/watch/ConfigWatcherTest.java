package org.sealgate.zk.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.zk.config.Documents;
import org.sealgate.policy.EncryptionMode;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkLayout;
import org.sealgate.zk.store.ZkTestSupport;

class ConfigWatcherTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path directory;
    private TestingServer server;
    private CuratorFramework admin;
    private ConfigStore store;

    @BeforeEach
    void startZooKeeper() throws Exception {
        server = new TestingServer(true);
        admin = ZkTestSupport.startedAdmin(server.getConnectString());
        store = new ConfigStore(admin, ZkTestSupport.ACLS, "alice");
        store.initialize();
        store.apply(Documents.valid("opportunistic"), 0);
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        admin.close();
        server.close();
    }

    @Test
    void appliedChangeShouldReachTwoWatchersOnSeparateClients() throws Exception {
        try (CuratorFramework nodeA = ZkTestSupport.startedNode(server.getConnectString());
             CuratorFramework nodeB = ZkTestSupport.startedNode(server.getConnectString());
             ConfigWatcher watcherA = ConfigWatchers.watch(nodeA, directory.resolve("a/last-known-good.json"));
             ConfigWatcher watcherB = ConfigWatchers.watch(nodeB, directory.resolve("b/last-known-good.json"))) {
            List<Integer> announced = new CopyOnWriteArrayList<>();
            watcherA.listenable().addListener(snapshot -> announced.add(snapshot.version()));
            watcherA.start();
            watcherB.start();
            await().atMost(WITHIN).until(() -> watcherA.health().isUpToDate() && watcherB.health().isUpToDate());

            store.apply(Documents.valid("required"), 1);

            for (ConfigWatcher watcher : List.of(watcherA, watcherB)) {
                await().atMost(WITHIN).until(() -> watcher.current().map(ConfigSnapshot::version).orElse(0) == 2);
                assertThat(watcher.current().orElseThrow().config().domain("example.com").orElseThrow().encrypt())
                    .isEqualTo(EncryptionMode.REQUIRED);
                assertThat(watcher.health().message()).isEqualTo("config version 2 up to date");
            }
            assertThat(announced).containsExactly(1, 2);
            assertThat(Files.readString(directory.resolve("a/last-known-good.json"))).contains("\"version\":2");
        }
    }

    @Test
    void badVersionWrittenAroundTheCliShouldBeRefusedAndTheOldSnapshotKept() throws Exception {
        try (CuratorFramework node = ZkTestSupport.startedNode(server.getConnectString());
             ConfigWatcher watcher = ConfigWatchers.watch(node, directory.resolve("lkg.json"))) {
            watcher.start();
            await().atMost(WITHIN).until(() -> watcher.health().isUpToDate());
            ConfigSnapshot before = watcher.current().orElseThrow();

            admin.setData().forPath(ZkLayout.CONFIG, "schema-version: 1\ndomains: [oops\n".getBytes(StandardCharsets.UTF_8));

            await().atMost(WITHIN).until(() -> watcher.health().lastRejected().isPresent());
            assertThat(watcher.current()).containsSame(before);
            assertThat(watcher.health().message())
                .startsWith("config version 1 up to date; version 2 in ZooKeeper refused: configuration refused")
                .contains("truncated or garbled");

            store.apply(Documents.valid("required"), 2);
            await().atMost(WITHIN).until(() -> watcher.current().orElseThrow().version() == 3);
            assertThat(watcher.health().isUpToDate()).isTrue();
        }
    }

    @Test
    void closeShouldBeIdempotentAndStartOnlyOnce() throws Exception {
        try (CuratorFramework node = ZkTestSupport.startedNode(server.getConnectString())) {
            ConfigWatcher watcher = ConfigWatchers.watch(node, directory.resolve("lkg.json"));
            assertThat(watcher.state()).isEqualTo(ConfigWatcher.State.LATENT);
            watcher.start();
            assertThatThrownBy(watcher::start).isInstanceOf(IllegalStateException.class);

            watcher.close();
            watcher.close();

            assertThat(watcher.state()).isEqualTo(ConfigWatcher.State.CLOSED);
        }
    }
}
