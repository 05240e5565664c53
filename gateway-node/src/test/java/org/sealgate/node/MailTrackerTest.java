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
