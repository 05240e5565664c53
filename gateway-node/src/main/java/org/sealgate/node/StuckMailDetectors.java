package org.sealgate.node;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** Builds {@link StuckMailDetector}s. */
final class StuckMailDetectors {
    /** Ten of James's 10 s dequeue polls: a due mail nobody took in that time is not waiting its turn. */
    static final Duration STUCK_AFTER = Duration.ofMinutes(2);
    /** Past James's SMTP timeouts (connect 60 s, read 180 s) several times over. */
    static final Duration HELD_AFTER = Duration.ofMinutes(15);
    static final Duration SWEEP_PERIOD = Duration.ofSeconds(30);

    /** Timings of a detector. */
    record Timings(Duration stuckAfter, Duration heldAfter, Duration sweepPeriod) {
        static Timings defaults() {
            return new Timings(STUCK_AFTER, HELD_AFTER, SWEEP_PERIOD);
        }
    }

    private StuckMailDetectors() {
    }

    /**
     * @param tracker   what the node's queues recorded
     * @param inspector the embedded broker's probe
     * @param found     told of each finding once (audit trail), on the sweep thread; must not block
     */
    static StuckMailDetector create(MailTracker tracker, BrokerQueueInspector inspector, Clock clock, Timings timings,
                                    Consumer<StuckMailDetector.Report> found) {
        return new StuckMailDetectorImpl(tracker, inspector, clock, timings, found);
    }
}
