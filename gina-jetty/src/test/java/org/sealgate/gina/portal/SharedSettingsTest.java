package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryForever;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.zk.config.GinaSettings;
import org.sealgate.zk.store.GinaSettingsNode;
import org.sealgate.zk.store.ZkLayout;

/** The watch on the published portal settings: missing means the file's, an outage keeps the last values. */
class SharedSettingsTest {
    @TempDir
    Path dir;

    @Test
    void missingNodeShouldMeanTheFileAndAnOutageShouldKeepTheLastValues() throws Exception {
        Files.writeString(dir.resolve(PortalSettings.FILE_NAME), "zk.connect=unused:1\nsmtp.gateway=127.0.0.1:25\n"
            + "session.minutes=45\nreply.max-per-hour=9\n");
        PortalSettings local = PortalSettings.load(dir);
        try (TestingServer server = new TestingServer(true);
             CuratorFramework client = CuratorFrameworkFactory.newClient(server.getConnectString(), 5_000, 2_000,
                 new RetryForever(200))) {
            client.start();
            assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            try (SharedSettings shared = SharedSettings.watching(client, local)) {
                shared.start();
                assertThat(shared.current().version()).isZero();
                assertThat(shared.current().session().lifetime()).isEqualTo(Duration.ofMinutes(45));
                assertThat(shared.current().repliesPerHour()).isEqualTo(9);

                client.create().forPath(ZkLayout.GINA_SETTINGS,
                    new GinaSettingsNode(4, new GinaSettings("", 0, 2, 3, 7, true, 11)).encode());
                await().atMost(10, TimeUnit.SECONDS).until(() -> shared.current().version() == 4);
                assertThat(shared.current().session().lifetime()).isEqualTo(Duration.ofMinutes(2));
                assertThat(shared.current().session().maxLifetime()).isEqualTo(Duration.ofHours(3));
                assertThat(shared.current().firstPasswordLifetime()).isEqualTo(Duration.ofDays(7));
                assertThat(shared.current().selfServiceReset()).isTrue();
                assertThat(shared.current().repliesPerHour()).isEqualTo(11);

                server.stop();
                Thread.sleep(3_000);   // past the connection timeout: the client is disconnected
                assertThat(client.getZookeeperClient().isConnected()).isFalse();
                assertThat(shared.current().version()).isEqualTo(4);
                assertThat(shared.current().repliesPerHour()).isEqualTo(11);

                server.restart();
                assertThat(client.blockUntilConnected(20, TimeUnit.SECONDS)).isTrue();
                client.setData().forPath(ZkLayout.GINA_SETTINGS, "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                Thread.sleep(1_000);
                assertThat(shared.current().version()).as("unreadable: the last values stay").isEqualTo(4);

                client.delete().forPath(ZkLayout.GINA_SETTINGS);
                await().atMost(10, TimeUnit.SECONDS).until(() -> shared.current().version() == 0);
                assertThat(shared.current().session().lifetime()).isEqualTo(Duration.ofMinutes(45));
            }
        }
    }
}
