package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.HostileMime;
import org.sealgate.testing.SmtpSink;

/**
 * The guard behind the limits: a node whose structure limits are set far too high lets 4,000 nested multiparts in.
 * Until the third performance round JavaMail's header update walked them recursively in the pipeline and the
 * StackOverflowError was held by the guard; now no step of the pipeline recurses over the structure (header-only
 * saves, iterative limit scan), so the mail must pass unchanged, and nothing may escape to James's spooler (which
 * would strand the mail and a spool thread, and retry it after every restart). The guard itself:
 * {@code GuardingMailProcessorTest}, {@code MailGuardTest}.
 */
class MailGuardNodeTest {
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";

    @TempDir
    Path work;

    @Test
    void deeplyNestedMailPastRaisedLimitsShouldBeDeliveredIntactOrHeldNeverStrandedAndTheNodeKeepDelivering()
            throws Exception {
        // Bob has no keys here: he is a known recipient by the node's recipient list (unknown ones get 550 at RCPT).
        Files.createDirectories(work.resolve("data"));
        Files.writeString(work.resolve("data").resolve("recipients.txt"), BOB + "\n");
        try (SmtpSink receiver = SmtpSink.onFreePort();
             Gateway gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()),
                 "default.encrypt = opportunistic\n", List.of(Gateway.MANAGED_DOMAIN),
                 Map.of("limits.mime-depth", "1000000", "limits.mime-parts", "1000000"))) {
            for (int i = 0; i < 2; i++) {
                assertThat(SmtpClient.send(gateway.smtpPort(), CAROL, List.of(BOB), TestMails.wrap(CAROL, List.of(BOB),
                    "Deep " + i, "guard-deep-" + i, HostileMime.nestedMultiparts(4_000, "deep-inner-" + i))).code())
                    .isEqualTo(250);
            }

            for (int i = 0; i < 2; i++) {
                String id = "guard-deep-" + i;
                // Bounded but generous: a recursive walk of 4,000 levels would parse each level again (quadratic).
                Map<String, Object> event = Awaitility.await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> gateway.auditEvents().stream()
                        .filter(e -> String.valueOf(e.get("messageId")).contains(id)).findFirst(), Optional::isPresent)
                    .orElseThrow();
                if (event.get("outcome").equals("held")) {
                    assertThat(event.get("reason").toString()).contains("internal failure in").contains("StackOverflowError");
                } else {
                    assertThat(event).containsEntry("outcome", "relayed");
                    assertThat(SmtpSink.text(receiver.awaitOne(BOB, id))).contains("deep-inner-" + i);
                }
            }
            assertThat(SmtpClient.send(gateway.smtpPort(), CAROL, List.of(BOB),
                TestMails.plain(CAROL, List.of(BOB), "Normal", "guard-after", "still here")).code()).isEqualTo(250);
            assertThat(SmtpSink.text(receiver.awaitOne(BOB, "guard-after"))).contains("still here");
            assertThat(gateway.errors()).isZero();
        }
    }
}
