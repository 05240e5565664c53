package org.sealgate.smtp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the node is being drained (taken out of service while its queue empties). Health says {@code draining} at
 * once, so a load balancer stops sending new connections; SMTP itself keeps accepting for a grace period (at least
 * the balancer's check interval) and only then answers {@code 421} at MAIL, so no client behind a balancer is turned
 * away while the balancer still routes to this node. Not persisted: a restarted node is in service again.
 */
public final class DrainSwitch {
    private final Duration grace;
    private final Clock clock;
    private final AtomicReference<Instant> since = new AtomicReference<>();

    public DrainSwitch(Duration grace, Clock clock) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("drain grace must not be negative: " + grace);
        }
        this.grace = grace;
        this.clock = clock;
    }

    /** Starts draining; draining again keeps the first start (and its grace period). */
    public void drain() {
        since.compareAndSet(null, clock.instant());
    }

    public void resume() {
        since.set(null);
    }

    public boolean isDraining() {
        return since.get() != null;
    }

    /** Draining and past the grace period: new mail is refused with 421. */
    public boolean isRefusing() {
        Instant start = since.get();
        return start != null && !clock.instant().isBefore(start.plus(grace));
    }

    public Optional<Instant> drainingSince() {
        return Optional.ofNullable(since.get());
    }

    public Duration grace() {
        return grace;
    }
}
