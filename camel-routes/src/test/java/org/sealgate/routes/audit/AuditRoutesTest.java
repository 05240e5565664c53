package org.sealgate.routes.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditEvent.RecipientOutcome;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.routes.SealgateCamel;

class AuditRoutesTest {
    /** Reads lines back independently of the production mapper, as a log shipper would. */
    private static final ObjectMapper READER = new ObjectMapper().registerModule(new JavaTimeModule());

    @TempDir
    Path dataDir;

    @Test
    void eventsPublishedFromSeveralThreadsShouldEachBecomeOneJsonLine() throws Exception {
        List<AuditEvent> published = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            published.add(event("msg-" + i, "ok"));
        }

        try (SealgateCamel camel = SealgateCamel.start(auditDir())) {
            AuditPublisher publisher = camel.auditPublisher();
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                List<AuditEvent> share = published.subList(thread * 125, (thread + 1) * 125);
                done.add(threads.submit(() -> share.forEach(publisher::publish)));
            }
            for (Future<?> future : done) {
                future.get();
            }
            threads.shutdown();
        }

        List<AuditEvent> written = readEvents();
        assertThat(written).hasSize(500).containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void closeShouldWriteEveryEventPublishedBeforeIt() throws Exception {
        SealgateCamel camel = SealgateCamel.start(auditDir());
        for (int i = 0; i < 2000; i++) {
            camel.auditPublisher().publish(event("drain-" + i, ""));
        }

        camel.close();

        assertThat(auditLines()).hasSize(2000);
        assertThat(camel.auditFailures().total()).isZero();
    }

    @Test
    void reasonWithLineBreaksQuotesAndUnicodeShouldStayOnOneLine() throws Exception {
        String reason = "line one\nline two\r\n\"quoted\" \\ tab\there \u2028 caf\u00e9 \u2603 \u0000 end";
        AuditEvent tricky = event("<odd\nid@example.org>", reason);

        try (SealgateCamel camel = SealgateCamel.start(auditDir())) {
            camel.auditPublisher().publish(tricky);
            camel.auditPublisher().publish(event("after", "x"));
        }

        List<String> lines = auditLines();
        assertThat(lines).hasSize(2);
        assertThat(READER.readValue(lines.get(0), AuditEvent.class)).isEqualTo(tricky);
    }

    @Test
    void lineShouldHoldTheDocumentedFieldsInOrderWithIso8601Time() throws Exception {
        AuditEvent event = new AuditEvent(Instant.parse("2026-03-01T12:34:56.789Z"), "<m1@example.org>", "outbound",
                "alice@example.org",
                List.of(new RecipientOutcome("bob@partner.example", "smime-sign+encrypt", "ab12"),
                        new RecipientOutcome("carol@partner.example", null, null)),
                "encrypted", "");

        try (SealgateCamel camel = SealgateCamel.start(auditDir())) {
            camel.auditPublisher().publish(event);
        }

        String line = auditLines().get(0);
        assertThat(line).isEqualTo("{\"time\":\"2026-03-01T12:34:56.789Z\",\"messageId\":\"<m1@example.org>\","
                + "\"direction\":\"outbound\",\"sender\":\"alice@example.org\",\"recipients\":["
                + "{\"recipient\":\"bob@partner.example\",\"method\":\"smime-sign+encrypt\",\"keyFingerprint\":\"ab12\"},"
                + "{\"recipient\":\"carol@partner.example\",\"method\":\"none\",\"keyFingerprint\":\"\"}],"
                + "\"outcome\":\"encrypted\",\"reason\":\"\"}");
    }

    @Test
    void eventsShouldBeAppendedToAnExistingAuditFile() throws Exception {
        try (SealgateCamel camel = SealgateCamel.start(auditDir())) {
            camel.auditPublisher().publish(event("first-run", ""));
        }
        try (SealgateCamel camel = SealgateCamel.start(auditDir())) {
            camel.auditPublisher().publish(event("second-run", ""));
        }

        assertThat(readEvents()).extracting(AuditEvent::messageId).containsExactly("first-run", "second-run");
    }

    @Test
    void eventsLeftWhenTheShutdownTimeoutPassesShouldBeCountedAsNotWritten() throws Exception {
        Properties slowDisk = new Properties();
        slowDisk.setProperty("sealgate.audit.forceWrites", "true");
        SealgateCamel camel = SealgateCamel.start(auditDir(), slowDisk, Duration.ofMillis(1));
        for (int i = 0; i < 5000; i++) {
            camel.auditPublisher().publish(event("rush-" + i, ""));
        }

        camel.close();

        Thread.sleep(500); // a forced shutdown may let the consumer finish the line in progress
        // The one event the consumer had taken when the timeout forced the stop may be neither written nor counted.
        Path auditFile = auditDir().resolve("audit.jsonl");
        long written = Files.exists(auditFile) ? Files.readString(auditFile).lines().count() : 0;
        assertThat(camel.auditFailures().notWritten()).isPositive();
        assertThat(written + camel.auditFailures().notWritten()).isBetween(4999L, 5000L);
    }

    @Test
    void publishAfterCloseShouldNotThrowAndShouldBeCounted() {
        SealgateCamel camel = SealgateCamel.start(auditDir());
        AuditPublisher publisher = camel.auditPublisher();
        camel.close();

        assertThatCode(() -> publisher.publish(event("late", ""))).doesNotThrowAnyException();
        assertThatCode(() -> publisher.publish(null)).doesNotThrowAnyException();
        assertThat(camel.auditFailures().notPublished()).isEqualTo(2);
    }

    @Test
    void closeShouldBeIdempotent() {
        SealgateCamel camel = SealgateCamel.start(auditDir());
        camel.close();

        assertThatCode(camel::close).doesNotThrowAnyException();
    }

    @Test
    void unwritableAuditDirectoryShouldCountLostEventsWithoutThrowing() throws Exception {
        Path notADirectory = Files.writeString(dataDir.resolve("audit"), "a file where the directory should be");

        try (SealgateCamel camel = SealgateCamel.start(notADirectory, new Properties(), Duration.ofSeconds(5))) {
            assertThatCode(() -> camel.auditPublisher().publish(event("lost", ""))).doesNotThrowAnyException();

            await().atMost(Duration.ofSeconds(5)).until(() -> camel.auditFailures().notWritten() == 1);
        }
    }

    private Path auditDir() {
        return dataDir.resolve("audit");
    }

    private List<String> auditLines() throws Exception {
        String content = Files.readString(auditDir().resolve("audit.jsonl"), StandardCharsets.UTF_8);
        assertThat(content).endsWith("\n");
        return content.lines().toList();
    }

    private List<AuditEvent> readEvents() throws Exception {
        List<AuditEvent> events = new ArrayList<>();
        for (String line : auditLines()) {
            JsonNode node = READER.readTree(line);
            assertThat(node.get("time").isTextual()).as("time is an ISO-8601 string").isTrue();
            events.add(READER.treeToValue(node, AuditEvent.class));
        }
        return events;
    }

    private static AuditEvent event(String messageId, String reason) {
        return new AuditEvent(Instant.now(), messageId, "inbound", "sender@example.org",
                List.of(new RecipientOutcome("rcpt@example.org", "smime-decrypt", "00ff")), "decrypted", reason);
    }
}
