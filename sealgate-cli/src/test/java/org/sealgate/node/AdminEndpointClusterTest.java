package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.cli.ClusterDocuments;
import org.sealgate.testing.RefusingReceiver;

/**
 * A cluster node's admin endpoint against a real ZooKeeper: 200 with the configuration version in its metrics
 * while connected; ZooKeeper gone, {@code /healthz} says 503 "config stale since …" and the metrics show the
 * session down; ZooKeeper back, 200 again.
 */
class AdminEndpointClusterTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;
    private TestingServer zooKeeper;
    private ClusterAdmin admin;
    private Gateway gateway;
    private RefusingReceiver nextHop;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
        if (nextHop != null) {
            nextHop.close();
        }
    }

    @Test
    void healthzShouldReturn503WhileTheClusterConfigIsStaleAnd200OnceZooKeeperIsBack() throws Exception {
        zooKeeper = new TestingServer(true);
        nextHop = new RefusingReceiver(Set.of());
        admin = new ClusterAdmin(zooKeeper.getConnectString(), work.resolve("admin"));
        assertThat(admin.configApply(ClusterDocuments.withPartner("opportunistic")).status()).isZero();
        gateway = admin.startNode(work.resolve("data"), "node-a", Optional.of(nextHop.hostPort()));

        assertThat(get("/healthz")).isEqualTo(new Answer(200, "ok\n"));
        assertThat(get("/metrics").body()).contains("sealgate_config_version 1.0", "sealgate_zookeeper_connected 1.0",
            "sealgate_config_stale_seconds 0.0", "sealgate_config_age_seconds");

        zooKeeper.stop();
        Answer stale = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
            .until(() -> get("/healthz"), answer -> answer.code() == 503);
        assertThat(stale.body()).contains("config stale since", "serving version 1");
        assertThat(get("/metrics").body()).contains("sealgate_zookeeper_connected 0.0", "sealgate_config_version 1.0");

        zooKeeper.restart();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
            .until(() -> get("/healthz"), answer -> answer.code() == 200);
    }

    private record Answer(int code, String body) {
    }

    private Answer get(String path) throws Exception {
        int port = gateway.node().adminAddress().orElseThrow().getPort();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }
}
