package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** An oversized mail is refused with an answer that says what the limit is, on a real James over SMTP. */
class MessageSizeLimitTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String TEXT = "552 5.3.4 message exceeds the maximum size of 64 KB: send smaller attachments"
        + " or a link to the file";

    @TempDir
    static Path work;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = Gateway.start(work.resolve("data"), Optional.of("127.0.0.1:9"), "default.encrypt = opportunistic\n",
            List.of(Gateway.MANAGED_DOMAIN), Map.of("smtp.max-message-kb", "64"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void oversizedMailShouldGet552NamingTheLimit() throws Exception {
        byte[] big = TestMails.withAttachment(ALICE, List.of("partner@foreign.example"), "Big", "too-big",
            TestMails.randomBytes(200 * 1024, 7));
        SmtpClient.Reply reply = SmtpClient.send(gateway.smtpPort(), ALICE, List.of("partner@foreign.example"), big);
        assertThat(reply.text()).isEqualTo(TEXT);
    }

    @Test
    void announcedSizeOverTheLimitShouldGet552AndEhloShouldNameTheLimitOnce() throws Exception {
        try (SmtpClient client = new SmtpClient(gateway.smtpPort())) {
            assertThat(client.command("EHLO client.test").text().lines().filter(l -> l.contains("SIZE")).toList())
                .singleElement().satisfies(line -> assertThat(line).matches("250[- ]SIZE 65536"));
            // SIZE at MAIL FROM: the client learns the limit (and what to do) before sending anything.
            assertThat(client.command("MAIL FROM:<" + ALICE + "> SIZE=1000000").text()).isEqualTo(TEXT);
            // Within the limit, the same session goes on.
            assertThat(client.command("MAIL FROM:<" + ALICE + "> SIZE=1000").code()).isEqualTo(250);
        }
    }

    @Test
    void oversizedMailShouldBeLoggedAsOneInfoLineNotAsJamesError() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try {
            try (SmtpClient client = new SmtpClient(gateway.smtpPort())) {
                client.command("EHLO client.test");
                assertThat(client.command("MAIL FROM:<" + ALICE + "> SIZE=2000000").code()).isEqualTo(552);
            }
            byte[] big = TestMails.withAttachment(ALICE, List.of("partner@foreign.example"), "Big", "too-big-logged",
                TestMails.randomBytes(200 * 1024, 9));
            assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of("partner@foreign.example"), big).code()).isEqualTo(552);
        } finally {
            root.detachAppender(log);
        }
        List<ILoggingEvent> events = List.copyOf(log.list);
        assertThat(events).filteredOn(e -> e.getLevel() == Level.INFO).extracting(ILoggingEvent::getFormattedMessage)
            .contains("refused a mail from 127.0.0.1 at MAIL FROM: announced SIZE=2000000 is over the limit of 64 KB")
            .contains("refused a mail from " + ALICE + " (127.0.0.1) at DATA: over the limit of 64 KB");
        // James's size extension logs each refusal at ERROR: silenced (logback.xml), no stack trace anywhere.
        assertThat(events).noneMatch(e -> e.getLoggerName().endsWith("MailSizeEsmtpExtension"))
            .noneMatch(e -> e.getLevel() == Level.ERROR).allMatch(e -> e.getThrowableProxy() == null);
    }

    @Test
    void mailOfThreeQuartersOfTheLimitShouldBeAcceptedEachLineCountedOnce() throws Exception {
        // 36 KB of attachment = about 48 KB in base64: under 64 KB, over half of it (a line counted twice fails).
        byte[] large = TestMails.withAttachment(ALICE, List.of("partner@foreign.example"), "Large", "large-ok",
            TestMails.randomBytes(36 * 1024, 8));
        assertThat(large.length).isBetween(40 * 1024, 60 * 1024);
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of("partner@foreign.example"), large).code())
            .isEqualTo(250);
    }

    @Test
    void mailUnderTheLimitShouldStillBeAccepted() throws Exception {
        byte[] small = TestMails.plain(ALICE, List.of("partner@foreign.example"), "Small", "small-ok", "fits");
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of("partner@foreign.example"), small).code()).isEqualTo(250);
    }
}
