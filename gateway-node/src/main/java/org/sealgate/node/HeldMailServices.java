package org.sealgate.node;

import java.time.Clock;
import java.time.Duration;

import org.sealgate.audit.AuditPublisher;
import org.sealgate.held.HeldMailStore;

/** Starts {@link HeldMailService}s. */
final class HeldMailServices {
    /** How often pending requests are looked for: a release is carried out within about this long. */
    static final Duration POLL = Duration.ofMillis(500);
    /** How often the retention sweep runs (and once at start). */
    static final Duration SWEEP = Duration.ofHours(1);

    private HeldMailServices() {
    }

    static HeldMailService start(HeldMailStore store, HeldMailServiceImpl.Reinjector reinjector, AuditPublisher audit,
                                 HeldMailSettings settings, Clock clock) {
        HeldMailServiceImpl service = new HeldMailServiceImpl(store, reinjector, audit, settings.retention(), clock);
        service.start(POLL, SWEEP);
        return service;
    }
}
