package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** The portal log's one line per request: facts only, and a visitor cannot forge lines or smuggle details in. */
class AuditLogLineTest {
    @TempDir
    Path dir;

    @Test
    void requestLineShouldCarryNoDetailsAndNoLineBreaksAVisitorSent() throws Exception {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger requests = (Logger) LoggerFactory.getLogger(PortalLogging.REQUESTS);
        requests.addAppender(lines);
        try {
            new AuditLog(dir.resolve("audit.jsonl"), "node-1", Clock.systemUTC()).record("login", "carol@partner.example",
                "<id@x>\r\n12:00:00.000 INFO requests - login success address=admin@example.org", "192.0.2.7",
                "invalid", Map.of("reason", "session 0f3c9a was ended"));
        } finally {
            requests.detachAppender(lines);
        }
        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).satisfies(line -> {
            assertThat(line).startsWith("login invalid address=carol@partner.example message=<id@x>__12:00:00.000_INFO")
                .endsWith(" client=192.0.2.7").doesNotContain("\r").doesNotContain("\n");
            assertThat(line).doesNotContain("0f3c9a");   // details (here a session id) stay in the audit trail only
        });
    }
}
