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

/** An oversized mail is refused with an answer that says what the limit is, on a real James over SMTP. */
class MessageSizeLimitTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String TEXT = "552 5.3.4 message exceeds the maximum size of 64 KB";

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
            // SIZE at MAIL FROM keeps James's answer (its hook owns the parameter); the client learns it before DATA.
            assertThat(client.command("MAIL FROM:<" + ALICE + "> SIZE=1000000").text())
                .isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
        }
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
