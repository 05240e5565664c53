package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.key.KeyRing;

/** Dependencies down: {@code /healthz} tells keepalived whether this node can log anyone in; replies fail clearly. */
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

    @Test
    void replyShouldFailClearlyAndKeepTheTextWhenTheGatewayIsDown() throws Exception {
        try (TestingServer zooKeeper = new TestingServer(true);
             PortalFixture portal = PortalFixture.start(dir.resolve("portal"), zooKeeper.getConnectString(), 1,
                 KeyRing.generate("g1"), KeyRing.generate("s1"), "")) {
            PortalClient client = new PortalClient(portal.trust(), portal.base());
            String first = portal.newAccount(PortalFixture.CAROL);
            client.post("/open", java.util.Map.of("container",
                portal.seal(TestMime.standard(PortalFixture.CAROL), PortalFixture.CAROL).toBase64Url()));
            client.submit("/register", java.util.Map.of("first-password", first, "password", "carol's own password",
                "password2", "carol's own password"));

            PortalClient.Page failed = client.submit("/reply", java.util.Map.of("mode", "reply", "body", "my careful answer"));

            assertThat(failed.status()).isEqualTo(502);
            assertThat(failed.body()).contains("could not be handed to the gateway").contains(">my careful answer</textarea>");
            assertThat(portal.audit()).contains("\"event\":\"reply\"").contains("\"outcome\":\"failed\"");
        }
    }
}
