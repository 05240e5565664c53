package org.sealgate.node;

import java.util.List;
import java.util.Map;

/**
 * Finds mails the node's queues stored and were due to hand out but did not (issue 16: about one in 5,000 mails
 * was held in ActiveMQ until a restart), says where the broker holds each, and puts the ones the broker will never
 * dispatch back into dispatch. Lifecycle: latent → {@link #start()} (periodic sweep) → {@link #close()}
 * (idempotent). Create with {@link StuckMailDetectors}.
 */
interface StuckMailDetector extends AutoCloseable {

    /** One finding of a sweep. {@code action}: alarmed, woken, requeued (with the copy's id in detail), held. */
    record Report(String queue, String mailName, StuckMailState state, String action, String detail) {
    }

    /** Starts the periodic sweep. */
    void start();

    /** One sweep now, on the caller's thread (the periodic one calls this too); what it found and did. */
    List<Report> sweep();

    /** Findings so far by state word and action, e.g. {@code lost-from-cursor/requeued → 1}. */
    Map<String, Long> counts();

    @Override
    void close();
}
