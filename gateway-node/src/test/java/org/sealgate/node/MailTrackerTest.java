package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.sealgate.testing.MutableClock;

class MailTrackerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final MailTracker tracker = new MailTracker(clock, 3, Duration.ofDays(1));

    @Test
    void retryEnqueuedBeforeTheFirstItemIsDoneShouldStayTracked() {
        tracker.enqueued("outgoing", "m1", Duration.ZERO);
        long first = tracker.dequeued("outgoing", "m1");
        // RemoteDelivery: enqueue the retry, then mark the item it took as done.
        tracker.enqueued("outgoing", "m1", Duration.ofMinutes(5));
        tracker.done("outgoing", "m1", first, true);

        assertThat(tracker.size()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(6));
        assertThat(tracker.notTaken(Duration.ofMinutes(2))).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(tracker.notTaken(Duration.ofMinutes(2))).extracting(MailTracker.Entry::name).containsExactly("m1");
    }

    @Test
    void unfinishedShouldTellTakenFromNeverTakenOldestFirstAndLeaveDoneMailsOut() {
        tracker.enqueued("outgoing", "m1", Duration.ZERO);
        clock.advance(Duration.ofSeconds(30));
        tracker.enqueued("spool", "m2", Duration.ZERO);
        tracker.enqueued("spool", "m3", Duration.ZERO);
        long m2 = tracker.dequeued("spool", "m2");
        long m3 = tracker.dequeued("spool", "m3");
        clock.advance(Duration.ofSeconds(10));
        tracker.done("spool", "m3", m3, true);

        assertThat(m2).isPositive();
        assertThat(tracker.unfinished(20)).containsExactly(
            "m1 in outgoing: enqueued 40 s ago, due 40 s ago, never taken",
            "m2 in spool: enqueued 10 s ago, taken by a consumer 10 s ago, not done");
        assertThat(tracker.unfinished(1)).hasSize(1);
    }

    @Test
    void mailTakenAndNotFinishedShouldCountAsHeldNotStuck() {
        tracker.enqueued("outgoing", "m1", Duration.ZERO);
        tracker.dequeued("outgoing", "m1");
        clock.advance(Duration.ofMinutes(16));

        assertThat(tracker.notTaken(Duration.ofMinutes(2))).isEmpty();
        assertThat(tracker.heldLong(Duration.ofMinutes(15))).extracting(MailTracker.Entry::name).containsExactly("m1");
    }

    @Test
    void trackerShouldKeepOnlyTheNewestEntriesPastItsCapacity() {
        for (int i = 0; i < 5; i++) {
            tracker.enqueued("spool", "m" + i, Duration.ZERO);
        }
        assertThat(tracker.size()).isEqualTo(3);
        assertThat(tracker.snapshot().values()).extracting(MailTracker.Entry::name).containsExactlyInAnyOrder("m2", "m3", "m4");
    }
}
