package org.sealgate.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.node.NodeSettings;

/**
 * The node's heap holds the worst burst it accepts: eight mails of the largest accepted size at once (SMTP's
 * {@code smtp.max-message-kb} default), outbound S/MIME encrypt and then inbound S/MIME decrypt + verify, through a
 * node started with the launch defaults the appliance uses ({@link NodeDefaults}: its heap limit and
 * -XX:+ExitOnOutOfMemoryError, so an OutOfMemoryError ends the node and fails the run). Every mail is checked at
 * the sink (decrypts to the recipient's key; inbound: opened, verified, attachment intact).
 */
class MaxSizeBurstTest {
    /** The wire adds a CR per line (about 1.3 % for 76-character base64 lines): stay under the limit with margin. */
    private static final int OUTBOUND_BYTES = (int) (NodeSettings.DEFAULT_MAX_MESSAGE_KB * 1024L * 97 / 100);
    /** Inbound mail grows by S/MIME's base64 and signature (about 1.37 ×) around the content the tool protects. */
    private static final int INBOUND_CONTENT_BYTES = OUTBOUND_BYTES * 100 / 140;

    @TempDir
    Path work;

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void eightMaxSizeMailsAtOnceShouldPassWithoutOutOfMemory() throws Exception {
        Path dir = Files.createDirectories(work.resolve("burst"));
        int sinkPort = Ports.free();
        Path nodeLog = dir.resolve("node.log");
        try (BenchFixture fixture = BenchFixture.createMixed(dir.resolve("data"), Scenario.ENCRYPT,
                List.of(Scenario.Load.SMIME_SIGNED_ENCRYPTED), Ports.free(), sinkPort);
             Sink sink = new Sink(sinkPort, dir.resolve("smtp-sink.log"));
             NodeProcess node = NodeProcess.start(fixture, System.getProperty("java.class.path"), nodeLog)) {
            for (Scenario scenario : List.of(Scenario.ENCRYPT, Scenario.INBOUND_SMIME)) {
                MessageShape shape = new MessageShape(scenario.inbound() ? INBOUND_CONTENT_BYTES : OUTBOUND_BYTES, true);
                RunSpec burst = new RunSpec(shape, 8, 8, 0);
                Path streamDir = Files.createDirectories(dir.resolve(scenario.name().toLowerCase(java.util.Locale.ROOT)));
                LoadRun load = new LoadRun(scenario, fixture.forLoad(scenario.load()), node, sink, streamDir, true, 100);

                RunResult result = load.run(burst, BenchPlan.timeoutMs(burst), 1, scenario);
                System.out.printf("max-size burst, %s: %s, peak RSS %.0f MB%n", scenario.label(),
                    BenchHarness.describe(result), result.peakRssMb());

                assertThat(result.failure()).as(scenario.label() + " (node log: " + nodeLog + ")").isEmpty();
                assertThat(result.delivered()).isEqualTo(8);
                assertThat(result.verified()).isEqualTo(8);
                assertThat(node.alive()).isTrue();
            }
        }
        assertThat(Files.readString(nodeLog, StandardCharsets.ISO_8859_1)).doesNotContain("OutOfMemoryError");
    }
}
