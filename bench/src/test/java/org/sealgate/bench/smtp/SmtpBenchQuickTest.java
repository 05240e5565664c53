package org.sealgate.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark in quick mode, as part of {@code ./sealgate test}: every scenario completes, every message of every run
 * reaches smtp-sink, and every one is checked there ({@link SinkCheck}): in the S/MIME scenarios application/pkcs7-mime
 * that decrypts with the recipient's key (and is signed inside in sign + encrypt); in the OpenPGP scenario PGP/MIME that
 * decrypts with the recipient's OpenPGP key; in the GINA scenario a carrier signed by the sender whose container opens
 * with the cluster key ring to the submitted message, and GINA's one first-password mail to the sender arrived in the
 * warm-up run (a missing or extra one fails the run); in the inbound scenarios (mail made by openssl cms and gpg)
 * decrypted, the signature verified and the subject tagged, the text and the attachment byte for byte as sent; in
 * passthrough the submitted message unencrypted and unchanged; the baselines relay what they got unchanged. Each scenario's runs alternate with its baseline's. No figure is asserted: timing is not a test on a shared 2-core
 * machine.
 */
class SmtpBenchQuickTest {
    @TempDir
    Path work;

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void quickModeShouldDeliverEveryMessageOfEveryScenarioAndProtectedOnesShouldOpenForTheRecipient() throws Exception {
        System.setProperty("java.awt.headless", "true");
        BenchPlan plan = BenchPlan.of("quick");
        List<RunResult> results = new BenchHarness(plan, work.resolve("work"), System.getProperty("java.class.path"),
            System.out::println).run();

        long measured = plan.scenarios().stream().filter(s -> !s.isBaseline()).count();
        // Each scenario's runs alternate with its own baseline's, round by round.
        assertThat(results).hasSize((int) (2 * measured * plan.runs().size() * plan.rounds()));
        assertThat(results).extracting(RunResult::scenario).containsOnly(Scenario.values());
        assertThat(Comparisons.of(results)).hasSize((int) measured * plan.runs().size())
            .allSatisfy(c -> assertThat(c.ratio()).as(c.scenario().label() + " " + c.spec().label()).isPresent());
        for (RunResult result : results) {
            String run = result.scenario().label() + " " + result.spec().label();
            assertThat(result.failure()).as(run).isEmpty();
            assertThat(result.sent()).as(run).isGreaterThanOrEqualTo(result.spec().messages());
            assertThat(result.delivered()).as(run).isEqualTo(result.sent());
            assertThat(result.verified()).as(run + ": every message checked at the sink").isEqualTo(result.delivered());
            assertThat(result.messagesPerSecond()).as(run).isPositive();
            assertThat(result.notices()).as(run + ": first contact was in the warm-up, no more mail to the sender").isZero();
        }

        Chart.write(results, "quick", work.resolve("throughput.png"));
        assertThat(Files.size(work.resolve("throughput.png"))).isPositive();
        String table = Report.table(results);
        assertThat(table).contains("S/MIME sign + encrypt", "OpenPGP encrypt", "| GINA |", "passthrough", "inbound S/MIME decrypt + verify",
            "inbound OpenPGP decrypt + verify", "inbound S/MIME signed (verify + tag)").doesNotContain("FAILED");
    }
}
