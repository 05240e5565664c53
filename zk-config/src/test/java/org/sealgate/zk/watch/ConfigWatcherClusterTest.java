package org.sealgate.zk.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.zk.config.Documents;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkTestSupport;

/** Faults on a real three-server ensemble. */
class ConfigWatcherClusterTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path directory;
    private TestingCluster cluster;

    @BeforeEach
    void startEnsemble() throws Exception {
        cluster = new TestingCluster(3);
        cluster.start();
    }

    @AfterEach
    void stopEnsemble() throws Exception {
        cluster.close();
    }

    @Test
    void watcherShouldKeepWorkingWhenOneServerIsKilled() throws Exception {
        try (CuratorFramework admin = ZkTestSupport.startedAdmin(cluster.getConnectString());
             CuratorFramework node = ZkTestSupport.startedNode(cluster.getConnectString());
             ConfigWatcher watcher = ConfigWatchers.watch(node, directory.resolve("lkg.json"))) {
            ConfigStore store = new ConfigStore(admin, ZkTestSupport.ACLS, "alice");
            store.initialize();
            store.apply(Documents.valid("opportunistic"), 0);
            watcher.start();
            await().atMost(WITHIN).until(() -> watcher.health().isUpToDate());

            InstanceSpec victim = cluster.getInstances().iterator().next();
            assertThat(cluster.killServer(victim)).isTrue();
            store.apply(Documents.valid("required"), 1);

            await().atMost(WITHIN).until(() -> watcher.current().orElseThrow().version() == 2 && watcher.health().isUpToDate());
        }
    }

    @Test
    void watcherStartedWhileTheEnsembleIsDownShouldServeLastKnownGoodAndReportStale() throws Exception {
        Path lastKnownGood = directory.resolve("lkg.json");
        try (CuratorFramework admin = ZkTestSupport.startedAdmin(cluster.getConnectString());
             CuratorFramework node = ZkTestSupport.startedNode(cluster.getConnectString());
             ConfigWatcher first = ConfigWatchers.watch(node, lastKnownGood)) {
            new ConfigStore(admin, ZkTestSupport.ACLS, "alice").initialize();
            new ConfigStore(admin, ZkTestSupport.ACLS, "alice").apply(Documents.valid("required"), 0);
            first.start();
            await().atMost(WITHIN).until(() -> first.health().isUpToDate());
        }
        for (InstanceSpec instance : cluster.getInstances()) {
            cluster.killServer(instance);
        }

        CuratorFramework node = ZkClients.node(cluster.getConnectString(), ZkClients.DEFAULT_NAMESPACE, ZkTestSupport.NODE);
        node.start();
        try (node; ConfigWatcher restarted = ConfigWatchers.watch(node, lastKnownGood)) {
            restarted.start();

            assertThat(restarted.current().orElseThrow().version()).isEqualTo(1);
            assertThat(restarted.current().orElseThrow().source()).isEqualTo(ConfigSnapshot.Source.LAST_KNOWN_GOOD);
            assertThat(restarted.health().message()).startsWith("config stale since ")
                .endsWith("(serving version 1 from the last-known-good file)");

            for (InstanceSpec instance : cluster.getInstances()) {
                cluster.restartServer(instance);
            }

            await().atMost(Duration.ofSeconds(40)).until(() -> restarted.health().isUpToDate());
            assertThat(restarted.current().orElseThrow().source()).isEqualTo(ConfigSnapshot.Source.ZOOKEEPER);
            assertThat(restarted.health().message()).isEqualTo("config version 1 up to date");
        }
    }
}
