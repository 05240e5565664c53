package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.jms.Connection;
import javax.jms.MessageConsumer;
import javax.jms.Session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.MutableClock;

/**
 * The stuck-mail detector against a real embedded broker and James's real ActiveMQ queue: a mail planted in state
 * C (stored, never dispatched) is requeued once and not again after a restart; a mail held by a consumer that never
 * gave it to James (state A) is alarmed, then requeued and delivered once; a mail delayed for retry is left alone until due + 2 min.
 */
class StuckMailDetectorTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private QueueFixture queue;

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    @Test
    void mailLostFromTheCursorShouldBeDeliveredOnceAndNotAgainAfterRestart() throws Exception {
        queue = new QueueFixture(dir, clock);
        queue.outgoing().enQueue(QueueFixture.mail("lost-1"));
        queue.strandInStore("lost-1");
        List<String> delivered = new CopyOnWriteArrayList<>();
        queue.consume(delivered);
        // The field symptom: stored, a consumer pulling, nothing dispatched.
        Thread.sleep(3000);
        assertThat(delivered).isEmpty();
        assertThat(queue.stored("outgoing")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        assertThat(queue.detector.sweep()).as("not due for 2 min yet").isEmpty();
        clock.advance(Duration.ofMinutes(1).plusSeconds(5));
        List<StuckMailDetector.Report> reports = queue.detector.sweep();

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.mailName()).isEqualTo("lost-1");
            assertThat(r.state()).isEqualTo(StuckMailState.C);
            assertThat(r.action()).isEqualTo("requeued");
        });
        assertThat(queue.published).containsExactlyElementsOf(reports);
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.contains("lost-1"));
        Thread.sleep(2000);
        assertThat(delivered).containsExactly("lost-1");
        assertThat(queue.detector.sweep()).as("delivered: nothing left to report").isEmpty();

        assertNoDeliveryAfterARestart("the original was removed: no second delivery");
    }

    @Test
    void mailHeldByAConsumerThatNeverGaveItToJamesShouldBeAlarmedThenRequeuedAndDeliveredOnce() throws Exception {
        queue = new QueueFixture(dir, clock);
        queue.outgoing().enQueue(QueueFixture.mail("held-1"));
        Connection raw = queue.broker.connectionFactory().createConnection();
        List<String> delivered = new CopyOnWriteArrayList<>();
        try {
            raw.start();
            Session session = raw.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer holder = session.createConsumer(session.createQueue("outgoing"));
            // The field symptom: the broker counts the mail dispatched to a consumer that never hands it to James.
            assertThat(holder.receive(10_000)).as("the raw consumer takes the mail").isNotNull();
            queue.consume(delivered);

            clock.advance(Duration.ofMinutes(3));
            assertThat(queue.detector.sweep()).singleElement().satisfies(r -> {
                assertThat(r.state()).isEqualTo(StuckMailState.A);
                assertThat(r.action()).isEqualTo("alarmed");
                assertThat(r.detail()).contains("locked by");
            });
            Thread.sleep(2000);
            assertThat(delivered).as("alarmed only: still held").isEmpty();

            clock.advance(Duration.ofSeconds(30));
            assertThat(queue.detector.sweep()).singleElement().satisfies(r -> {
                assertThat(r.state()).isEqualTo(StuckMailState.A);
                assertThat(r.action()).isEqualTo("requeued");
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> delivered.contains("held-1"));

            // The holder wakes up and commits: the original was dropped, nothing more is delivered.
            session.commit();
        } finally {
            raw.close();
        }
        Thread.sleep(3000);
        assertThat(delivered).as("exactly one delivery").containsExactly("held-1");
        assertThat(queue.detector.counts()).containsEntry("in-flight/alarmed", 1L)
            .containsEntry("in-flight/requeued", 1L).hasSize(2);

        assertNoDeliveryAfterARestart("no second delivery after a restart");
    }

    @Test
    void mailDelayedForRetryShouldNotBeFlaggedBeforeDuePlusTwoMinutes() throws Exception {
        queue = new QueueFixture(dir, clock);
        queue.outgoing().enQueue(QueueFixture.mail("retry-1"), Duration.ofMinutes(10));

        clock.advance(Duration.ofMinutes(11));
        assertThat(queue.detector.sweep()).isEmpty();
        clock.advance(Duration.ofSeconds(55));
        assertThat(queue.detector.sweep()).as("due + 1 min 55 s").isEmpty();
        clock.advance(Duration.ofSeconds(10));

        assertThat(queue.detector.sweep()).singleElement()
            .satisfies(r -> assertThat(r.mailName()).isEqualTo("retry-1"));
    }

    /** Restarts the broker on the same store with a consumer attached: nothing may come out any more. */
    private void assertNoDeliveryAfterARestart(String why) throws Exception {
        queue.restart();
        List<String> afterRestart = new CopyOnWriteArrayList<>();
        queue.consume(afterRestart);
        Thread.sleep(3000);
        assertThat(afterRestart).as(why).isEmpty();
    }
}
