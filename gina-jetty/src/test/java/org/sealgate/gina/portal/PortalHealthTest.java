package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.key.KeyRing;

/** {@code /healthz} tells keepalived and load balancers whether this node can log anyone in. */
class PortalHealthTest {
    @TempDir
    Path dir;

    @Test
    void healthzShouldFailWhileZooKeeperIsDownAndRecoverAfter() throws Exception {
        try (TestingServer zooKeeper = new TestingServer(true);
             PortalFixture portal = PortalFixture.start(dir.resolve("portal"), zooKeeper.getConnectString(), 1,
                 KeyRing.generate("g1"), KeyRing.generate("s1"), "")) {
            PortalClient client = new PortalClient(portal.trust(), portal.base());
            assertThat(client.get("/healthz").status()).isEqualTo(200);

            zooKeeper.stop();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.get("/healthz").status() == 503);
            assertThat(client.get("/healthz").body()).contains("account store (ZooKeeper) is unreachable");

            zooKeeper.restart();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.get("/healthz").status() == 200);
        }
    }
}
