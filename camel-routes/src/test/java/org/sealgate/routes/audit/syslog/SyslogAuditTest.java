package org.sealgate.routes.audit.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditEvent.RecipientOutcome;
import org.sealgate.routes.SealgateCamel;
import org.sealgate.routes.audit.syslog.SyslogSettings.Protocol;

/**
 * The audit route's syslog leg against real collectors on loopback that read RFC 5424 strictly: UDP datagrams,
 * octet-counted TCP, TLS with the collector's certificate checked; hostile field values; a stuck collector.
 */
class SyslogAuditTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final String HOSTILE = "x\"] [evil@1 a=\"b\"] \\\n<13>1 2026-01-01T00:00:00Z h app - - - second record\r\n]";

    @TempDir
    Path dir;

    @Test
    void eventsShouldArriveAsStrictRfc5424OverUdp() throws Exception {
        try (SyslogCollector collector = SyslogCollector.udp()) {
            assertOneEventArrives(collector, settings(Protocol.UDP, collector.port(), Optional.empty()));
        }
    }

    @Test
    void eventsShouldArriveOctetCountedOverTcp() throws Exception {
        try (SyslogCollector collector = SyslogCollector.tcp()) {
            assertOneEventArrives(collector, settings(Protocol.TCP, collector.port(), Optional.empty()));
        }
    }

    @Test
    void eventsShouldArriveOverTlsToACollectorTheConfiguredCaVouchesFor() throws Exception {
        CollectorTls tls = CollectorTls.create();
        try (SyslogCollector collector = SyslogCollector.tls(tls.server())) {
            assertOneEventArrives(collector, settings(Protocol.TLS, collector.port(),
                Optional.of(tls.writePem(dir.resolve("collector-ca.pem")))));
        }
    }

    @Test
    void tlsShouldSendNothingToACollectorWhoseCertificateTheCaDidNotSign() throws Exception {
        CollectorTls collectorTls = CollectorTls.create();
        CollectorTls otherCa = CollectorTls.create();
        try (SyslogCollector collector = SyslogCollector.tls(collectorTls.server());
             SealgateCamel camel = camel(settings(Protocol.TLS, collector.port(),
                 Optional.of(otherCa.writePem(dir.resolve("other-ca.pem")))))) {
            camel.auditPublisher().publish(event("m-1", "encrypted", "fine"));
            Thread.sleep(1_500);
            assertThat(collector.records).isEmpty();
            assertThat(camel.syslog().orElseThrow().sent()).isZero();
        }
    }

    @Test
    void hostileFieldsShouldStayInsideOneRecordAndOneSdElement() throws Exception {
        for (Protocol protocol : List.of(Protocol.UDP, Protocol.TCP)) {
            try (SyslogCollector collector = protocol == Protocol.UDP ? SyslogCollector.udp() : SyslogCollector.tcp();
                 SealgateCamel camel = camel(settings(protocol, collector.port(), Optional.empty()))) {
                camel.auditPublisher().publish(new AuditEvent(Instant.now(), "<id" + HOSTILE + ">", "outbound",
                    "sender" + HOSTILE + "@example.com", List.of(new RecipientOutcome("r@example.com", "none", "")),
                    "bounced\n<13>", HOSTILE));
                await().atMost(WITHIN).until(() -> !collector.records.isEmpty());
                Thread.sleep(500); // a second record, if one had been injected, would be here now
                assertThat(collector.records).as(protocol.name()).hasSize(1);
                assertThat(collector.errors).isEmpty();
                StrictRfc5424 record = StrictRfc5424.parse(collector.records.get(0));
                assertThat(record.sdIds()).containsExactly(Rfc5424.SD_ID);
                String expected = HOSTILE.replace('\n', ' ').replace('\r', ' ');
                assertThat(record.param("reason")).isEqualTo(expected);
                assertThat(record.param("sender")).isEqualTo("sender" + expected + "@example.com");
                assertThat(record.msgId()).isEqualTo("bounced_<13>");
                assertThat(record.all("a")).isEmpty();
            }
        }
    }

    @Test
    void aCollectorThatNeverReadsShouldNotHoldThePublisherAndDropsShouldBeCounted() throws Exception {
        try (SyslogCollector stuck = SyslogCollector.notReading();
             SealgateCamel camel = camel(new SyslogSettings("127.0.0.1", stuck.port(), Protocol.TCP, 13, "sealgate",
                 "node-a", Optional.empty(), 10))) {
            String big = "r".repeat(200);
            long start = System.nanoTime();
            for (int i = 0; i < 3_000; i++) {
                camel.auditPublisher().publish(event("m-" + i, "relayed", big));
            }
            Duration publishing = Duration.ofNanos(System.nanoTime() - start);
            // All 3000 written to the JSON lines regardless, and the syslog leg dropped what did not fit.
            await().atMost(Duration.ofSeconds(60)).until(() -> lines() == 3_000);
            await().atMost(WITHIN).until(() -> camel.syslog().orElseThrow().dropped() > 0);
            assertThat(camel.auditFailures().notWritten()).isZero();
            assertThat(publishing).as("publishing with a stuck collector").isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void aDeadCollectorShouldCostNothingButDrops() throws Exception {
        int deadPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            deadPort = probe.getLocalPort();
        }
        try (SealgateCamel camel = camel(new SyslogSettings("127.0.0.1", deadPort, Protocol.TCP, 13, "sealgate",
            "node-a", Optional.empty(), 5))) {
            for (int i = 0; i < 50; i++) {
                camel.auditPublisher().publish(event("m-" + i, "relayed", ""));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> lines() == 50);
            await().atMost(WITHIN).until(() -> camel.syslog().orElseThrow().dropped() >= 40);
            assertThat(camel.syslog().orElseThrow().sent()).isZero();
        }
    }

    @Test
    void settingsShouldRefuseTlsWithoutACaAndFieldsThatBreakTheHeader() {
        assertThatThrownBy(() -> settings(Protocol.TLS, 6514, Optional.empty()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CA");
        assertThatThrownBy(() -> new SyslogSettings("h", 514, Protocol.UDP, 13, "seal gate", "n", Optional.empty(), 10))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyslogSettings("h", 514, Protocol.UDP, 24, "sealgate", "n", Optional.empty(), 10))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private void assertOneEventArrives(SyslogCollector collector, SyslogSettings settings) throws Exception {
        Instant time = Instant.parse("2026-12-06T05:00:00.123Z");
        try (SealgateCamel camel = camel(settings)) {
            camel.auditPublisher().publish(new AuditEvent(time, "<m-1@example.com>", "outbound", "alice@example.com",
                List.of(new RecipientOutcome("bob@partner.example", "smime-encrypt", "ab12", "smime (required)"),
                    new RecipientOutcome("carol@partner.example", "gina", "")), "encrypted", "2 recipients"));
            await().atMost(WITHIN).until(() -> !collector.records.isEmpty());
            assertThat(camel.syslog().orElseThrow().sent()).isEqualTo(1);
        }
        assertThat(collector.errors).isEmpty();
        StrictRfc5424 record = StrictRfc5424.parse(collector.records.get(0));
        assertThat(record.priority()).isEqualTo(13 * 8 + 6);
        assertThat(record.timestamp()).isEqualTo("2026-12-06T05:00:00.123000Z");
        assertThat(record.hostName()).isEqualTo("node-a");
        assertThat(record.appName()).isEqualTo("sealgate");
        assertThat(record.msgId()).isEqualTo("encrypted");
        assertThat(record.sdIds()).containsExactly(Rfc5424.SD_ID);
        assertThat(record.param("messageId")).isEqualTo("<m-1@example.com>");
        assertThat(record.param("sender")).isEqualTo("alice@example.com");
        assertThat(record.all("recipient")).containsExactly("bob@partner.example", "carol@partner.example");
        assertThat(record.all("method")).containsExactly("smime-encrypt", "gina");
        assertThat(record.all("key")).containsExactly("ab12", "");
        assertThat(record.msg()).isEqualTo("2 recipients");
    }

    private SyslogSettings settings(Protocol protocol, int port, Optional<Path> ca) {
        return new SyslogSettings("127.0.0.1", port, protocol, 13, "sealgate", "node-a", ca, 1000);
    }

    private SealgateCamel camel(SyslogSettings syslog) {
        Properties properties = new Properties();
        properties.setProperty("sealgate.audit.forceWrites", "false");
        return SealgateCamel.start(dir.resolve("audit"), properties, Duration.ofSeconds(10), Optional.of(syslog));
    }

    private long lines() throws Exception {
        Path file = dir.resolve("audit").resolve("audit.jsonl");
        if (!Files.exists(file)) {
            return 0;
        }
        try (var stream = Files.lines(file)) {
            return stream.count();
        }
    }

    private static AuditEvent event(String id, String outcome, String reason) {
        return new AuditEvent(Instant.now(), id, "outbound", "a@example.com", List.of(), outcome, reason);
    }
}
