package org.sealgate.routes.jobs;

import java.time.Duration;
import java.util.Objects;

/** The CRL refresh slot: calls the supplied refresher once per period on the leading node. */
public final class CrlRefreshJob implements ScheduledJob {
    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(15);

    private final CrlRefresher refresher;
    private final Duration period;

    public CrlRefreshJob(CrlRefresher refresher, Duration period) {
        this.refresher = Objects.requireNonNull(refresher);
        this.period = JobRoutes.checkedPeriod(period);
    }

    @Override
    public String name() {
        return "crl-refresh";
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public void run() {
        refresher.refreshCrls();
    }
}
