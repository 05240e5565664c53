package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.SmtpSink;

/**
 * A real standalone node with {@code audit.syslog.*} set: a relayed mail's audit event reaches a UDP collector on
 * loopback as RFC 5424 with the node's name, /metrics counts it, and the standalone node leads its own jobs.
 */
class AuditSyslogNodeTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";

    @TempDir
    Path work;

    @Test
    void aMailsAuditEventShouldReachTheSyslogCollectorAndMetricsShouldCountIt() throws Exception {
        try (DatagramSocket collector = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             SmtpSink sink = SmtpSink.onFreePort();
             Gateway gateway = Gateway.start(work.resolve("data"), Optional.of(sink.hostPort()),
                 "default.encrypt = opportunistic\n", List.of(Gateway.MANAGED_DOMAIN), Map.of(
                     SyslogNodeSettings.HOST, "127.0.0.1", SyslogNodeSettings.PORT, Integer.toString(collector.getLocalPort()),
                     SyslogNodeSettings.PROTOCOL, "udp", "admin.port", "0"))) {
            assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(CAROL),
                TestMails.plain(ALICE, List.of(CAROL), "Hi", "syslog-1", "hello Carol")).code()).isEqualTo(250);
            collector.setSoTimeout(60_000);
            DatagramPacket packet = new DatagramPacket(new byte[65_535], 65_535);
            collector.receive(packet);
            String record = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            assertThat(record).matches("(?s)<110>1 \\S+ gateway\\.test sealgate \\d+ relayed \\[sealgate@32473 .*")
                .contains("recipient=\"" + CAROL + "\"").doesNotContain("\n");

            String metrics = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> metrics(gateway), text -> text.contains("sealgate_audit_syslog_sent_total 1.0"));
            assertThat(metrics).contains("sealgate_audit_syslog_dropped_total 0.0", "sealgate_jobs_leader 1.0");
            assertThat(gateway.node().leadsJobs()).isTrue();
        }
    }

    private static String metrics(Gateway gateway) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + gateway.node().adminAddress().orElseThrow().getPort() + "/metrics");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }
}
