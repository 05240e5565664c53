package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.admin.AdminToken;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.testing.FreePorts;
import org.sealgate.testing.OpenPgpPackets;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.RefusingReceiver;
import org.sealgate.testing.SmtpSink;

/** The admin endpoint of a real node (stock James, real SMTP): health, metrics after real mails, drain and resume. */
class AdminEndpointNodeTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;
    private Gateway gateway;
    private RefusingReceiver nextHop;
    private SmtpSink sink;
    private volatile String lastMetrics = "";

    @AfterEach
    void stop() throws Exception {
        System.out.println("last metrics seen:\n" + lastMetrics.lines().filter(l -> l.startsWith("sealgate_"))
            .collect(java.util.stream.Collectors.joining("\n")));
        if (gateway != null) {
            gateway.close();
        }
        if (nextHop != null) {
            nextHop.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void healthzShouldReturn200AndMetricsShouldCountRealMailsPerOutcomeAndMethod() throws Exception {
        nextHop = new RefusingReceiver(Set.of());
        gateway = Gateway.start(work.resolve("data"), Optional.of(nextHop.hostPort()), "default.encrypt = opportunistic\n",
            List.of(Gateway.MANAGED_DOMAIN));
        assertThat(get("/healthz")).isEqualTo(Map.entry(200, "ok\n"));

        for (int i = 0; i < 3; i++) {
            assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(CAROL),
                TestMails.plain(ALICE, List.of(CAROL), "Hi", "metrics-" + i, "hello Carol")).code()).isEqualTo(250);
        }
        for (int i = 0; i < 3; i++) {
            nextHop.awaitFor(CAROL, "metrics-" + i + "@client.test");
        }
        // Inbound OpenPGP that cannot be decrypted: quarantined, counted as a crypto failure.
        String bob = "bob@" + Gateway.MANAGED_DOMAIN;
        gateway.pgpKeys().addManagedKey(PgpKeys.generate("Bob <" + bob + ">", 6), null);
        assertThat(SmtpClient.send(gateway.smtpPort(), CAROL, List.of(bob), PgpMails.encrypted(CAROL, bob, "Garbage",
            "metrics-garbage", OpenPgpPackets.armor(TestMails.randomBytes(2000, 5)))).code()).isEqualTo(250);
        String metrics = Awaitility.await().atMost(Duration.ofSeconds(30))
            .conditionEvaluationListener(condition -> lastMetrics = String.valueOf(condition.getValue()))
            .until(() -> get("/metrics").getValue(),
            text -> text.contains("sealgate_mails_total{direction=\"outbound\",method=\"none\",outcome=\"relayed\"} 3.0")
                && text.contains("sealgate_crypto_failures_total{direction=\"inbound\"} 1.0"));
        assertThat(metrics).contains("sealgate_mails_total{direction=\"inbound\",method=\"none\",outcome=\"held\"} 1.0");
        assertThat(metrics).contains("sealgate_queue_depth{queue=\"spool\"}", "sealgate_delivery_retries 0.0",
            "sealgate_draining 0.0", "sealgate_config_stale_seconds 0.0", "jvm_memory_used_bytes", "jvm_threads_current")
            .doesNotContain("sealgate_zookeeper_connected", "carol@", "alice@");
        // The node's memory budget: sized from the heap, nothing held or waiting once the mails are through.
        assertThat(metrics).containsPattern("(?m)^sealgate_mail_budget_capacity_bytes [1-9]")
            .contains("sealgate_mail_budget_reserved_bytes 0.0", "sealgate_mail_budget_waiting_mails 0.0",
                "sealgate_mail_budget_timeouts_total 0.0");
    }

    @Test
    void drainShouldRefuseNewMailWith421WhileQueuedMailStillLeaves() throws Exception {
        Prerequisites.require(java.nio.file.Files.isExecutable(Path.of("/usr/sbin/smtp-sink")), "smtp-sink (postfix)");
        int nextHopPort = FreePorts.next();    // nothing listens yet: the first mail waits in the queue for a retry
        gateway = Gateway.start(work.resolve("data"), Optional.of("127.0.0.1:" + nextHopPort),
            "default.encrypt = opportunistic\n", List.of(Gateway.MANAGED_DOMAIN), Map.of("admin.drain-grace-seconds", "0"));
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(CAROL),
            TestMails.plain(ALICE, List.of(CAROL), "Queued", "drain-queued", "queued before the drain")).code()).isEqualTo(250);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get("/metrics").getValue(),
            text -> text.contains("sealgate_delivery_retry_waiting 1.0"));

        HttpResponse<String> drained = post("/drain");
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(drained.body()).contains("draining=true", "refusing=true", "queued=1");
        assertThat(get("/healthz")).isEqualTo(Map.entry(503, "draining\n"));
        try (SmtpClient client = new SmtpClient(gateway.smtpPort())) {
            SmtpClient.Reply reply = client.command("MAIL FROM:<" + ALICE + ">");
            assertThat(reply.code()).isEqualTo(421);
            assertThat(reply.text()).contains("4.3.2", "draining");
        }

        // The next hop comes up: the queued mail still leaves while the node refuses new mail.
        sink = new SmtpSink(nextHopPort);
        assertThat(SmtpSink.messageId(sink.awaitOne(CAROL, "drain-queued"))).contains("drain-queued");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> post("/drain").body(), body -> body.contains("queued=0"));

        assertThat(post("/resume").body()).contains("draining=false");
        assertThat(get("/healthz").getKey()).isEqualTo(200);
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(CAROL),
            TestMails.plain(ALICE, List.of(CAROL), "After", "drain-after", "after the resume")).code()).isEqualTo(250);
        sink.awaitOne(CAROL, "drain-after");
    }

    private Map.Entry<Integer, String> get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        return Map.entry(response.statusCode(), response.body());
    }

    private HttpResponse<String> post(String path) throws Exception {
        String token = AdminToken.read(gateway.layout().data().resolve("admin"));
        return HTTP.send(request(path).header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        int port = gateway.node().adminAddress().orElseThrow().getPort();
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    }
}
