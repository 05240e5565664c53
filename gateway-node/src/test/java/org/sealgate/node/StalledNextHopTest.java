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
import org.sealgate.testing.RefusingReceiver;

/**
 * A next hop that stops reading in the middle of DATA (overloaded, broken, or hostile) must cost one bounded
 * delivery attempt, not a delivery thread and a queued mail until the node restarts: JavaMail bounds reads
 * (James's {@code timeout}) but not writes unless {@code mail.smtp.writetimeout} is set.
 */
class StalledNextHopTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";

    @TempDir
    static Path work;
    static RefusingReceiver nextHop;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        nextHop = RefusingReceiver.stallingInData(1);
        gateway = Gateway.start(work.resolve("data"), Optional.of(nextHop.hostPort()), "default.encrypt = opportunistic\n",
            List.of(Gateway.MANAGED_DOMAIN), Map.of("delivery.timeout-seconds", "3"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (nextHop != null) {
            nextHop.close();
        }
    }

    @Test
    void deliveryShouldGiveUpOnANextHopThatStopsReadingAndDeliverOnTheRetry() throws Exception {
        // Larger than what the loopback socket buffers take in, so the gateway's write blocks on the stalled hop.
        byte[] attachment = TestMails.randomBytes(8 * 1024 * 1024, 7);

        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(CAROL),
            TestMails.withAttachment(ALICE, List.of(CAROL), "Large", "stalled-hop", attachment)).code()).isEqualTo(250);

        RefusingReceiver.Received received = nextHop.awaitFor(CAROL, "stalled-hop");
        assertThat(nextHop.stalled()).isEqualTo(1);
        assertThat(received.raw().length).isGreaterThan(attachment.length);
        assertThat(nextHop.receivedFor(CAROL)).hasSize(1);
    }
}
