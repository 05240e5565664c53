package org.sealgate.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.zk.config.Documents;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkTestSupport;

/** {@link VipWatcher} against a real ZooKeeper server: re-render on change, reload, and the VIP claim's life. */
class VipWatcherTest {
    @TempDir
    Path dir;
    private TestingServer server;
    private CuratorFramework admin;
    private ConfigStore store;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        admin = ZkTestSupport.startedAdmin(server.getConnectString());
        store = new ConfigStore(admin, ZkTestSupport.ACLS, "alice");
        store.initialize();
        store.apply(Documents.valid(), 0);
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        server.close();
    }

    @Test
    void watcherShouldRenderReloadOnlyOnVipChangesAndPublishTheNotifiedStateUntilItsSessionEnds() throws Exception {
        Path out = dir.resolve("keepalived.conf");
        Path state = dir.resolve("state");
        AtomicInteger reloads = new AtomicInteger();
        Reloader counting = () -> "reload " + reloads.incrementAndGet();
        CuratorFramework node = ZkClients.node(server.getConnectString(), ZkClients.DEFAULT_NAMESPACE, ZkTestSupport.NODE);
        KeepalivedOptions options = new KeepalivedOptions(dir.resolve("scripts"), state, OptionalInt.empty(), Optional.empty());
        VipWatcher watcher = VipWatchers.watch(node, ZkTestSupport.NODE.identity(), "node-b", out, options, counting,
            dir.resolve("last-known-good.yaml"), Duration.ofMillis(100));
        try {
            node.start();
            watcher.start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(out));
            assertThat(Files.readString(out)).contains("priority 100").contains("version 1");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> reloads.get() == 1);

            store.apply(Documents.valid("required"), 1);   // nothing for keepalived in it
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> watcher.renderedVersion().equals(OptionalInt.of(2)));
            assertThat(reloads.get()).isEqualTo(1);
            store.apply(Documents.valid().replace("virtual-router-id: 51", "virtual-router-id: 51\n  preempt: false"), 2);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(out).contains("nopreempt"));
            assertThat(reloads.get()).isEqualTo(2);

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> claims().size() == 1);
            assertThat(claims().get(0)).isEqualTo(new VipClaim("node-b", VipClaim.UNKNOWN, null, "198.18.0.100", 3));
            Files.createDirectories(state);
            Files.writeString(state.resolve("state"), "MASTER 2026-01-01T00:00:00Z\n", StandardCharsets.US_ASCII);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> claims().get(0).holdsVip());
            assertThat(VipClaims.summary("198.18.0.100", claims())).isEqualTo("VIP 198.18.0.100: held by node-b since 2026-01-01T00:00:00Z");
        } finally {
            watcher.close();
            node.close();
        }
        // The claim was the session's: with the session gone, no stale MASTER remains.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> claims().isEmpty());
        assertThat(VipClaims.summary("198.18.0.100", claims())).contains("held by no node");
    }

    @Test
    void aKeepalivedThatIsNotRunningShouldBeShownStoppedWhateverItsLastNotification() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("state"), "MASTER 2026-01-01T00:00:00Z\n", StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("keepalived.pid"), "999999999\n");
        CuratorFramework node = ZkClients.node(server.getConnectString(), ZkClients.DEFAULT_NAMESPACE, ZkTestSupport.NODE);
        VipWatcher watcher = VipWatchers.watch(node, ZkTestSupport.NODE.identity(), "node-a", dir.resolve("keepalived.conf"),
            new KeepalivedOptions(dir.resolve("scripts"), state, OptionalInt.empty(), Optional.empty()),
            Reloader.signal(dir.resolve("keepalived.pid")), dir.resolve("lkg.yaml"), Duration.ofMillis(100));
        try {
            node.start();
            watcher.start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> claims().size() == 1);
            assertThat(claims().get(0).state()).isEqualTo(VipClaim.STOPPED);
            assertThat(VipClaims.summary("198.18.0.100", claims())).isEqualTo("VIP 198.18.0.100: held by no node"
                + " (no MASTER reported); node-a STOPPED");
        } finally {
            watcher.close();
            node.close();
        }
    }

    private List<VipClaim> claims() throws Exception {
        return VipClaims.read(admin);
    }
}
