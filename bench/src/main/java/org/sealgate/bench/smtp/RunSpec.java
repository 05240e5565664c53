package org.sealgate.bench.smtp;

/** One load run: this many messages of this shape over this many parallel SMTP sessions, plus latency probes. */
public record RunSpec(MessageShape shape, int concurrency, int messages, int probes) {
    public String label() {
        return shape.label() + " c=" + concurrency;
    }
}
