package org.sealgate.node;

/**
 * Where the broker holds a mail that was due and that no James consumer took (docs/reference.md, stuck mails).
 * The letters are the ones of the queue research and the log lines.
 */
enum StuckMailState {
    /**
     * Locked by a broker consumer that never handed it to James: alarmed, then copied and the original dropped a
     * sweep later. (Also the state of a mail James took and has not finished: reported {@code held} only.)
     */
    A("in-flight"),
    /** In the broker's memory, unlocked, not dispatched: woken first, then copied and the original removed. */
    B("undispatched"),
    /** Stored in KahaDB but lost from the queue's cursor (only a restart would deliver it): copied, then removed. */
    C("lost-from-cursor"),
    /** No longer in the queue's store: taken meanwhile, removed, or moved to the dead-letter queue. */
    GONE("gone");

    private final String word;

    StuckMailState(String word) {
        this.word = word;
    }

    String word() {
        return word;
    }
}
