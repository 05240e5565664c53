package org.sealgate.routes.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.function.IntSupplier;

import org.sealgate.routes.discovery.DiscoveryCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops expired entries from the key discovery cache, so answers past their TTL do not sit in memory, and deletes
 * stored discovered keys past their maximum age (in a cluster the shared ones: this job runs on the leader only).
 */
public final class DiscoveryEvictionJob implements ScheduledJob {
    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(10);
    private static final Logger LOGGER = LoggerFactory.getLogger(DiscoveryEvictionJob.class);

    private final DiscoveryCache cache;
    private final IntSupplier storedEviction;
    private final Duration period;

    public DiscoveryEvictionJob(DiscoveryCache cache, Duration period) {
        this(cache, () -> 0, period);
    }

    /** @param storedEviction deletes stored keys past their maximum age, returns how many */
    public DiscoveryEvictionJob(DiscoveryCache cache, IntSupplier storedEviction, Duration period) {
        this.cache = Objects.requireNonNull(cache);
        this.storedEviction = Objects.requireNonNull(storedEviction);
        this.period = JobRoutes.checkedPeriod(period);
    }

    @Override
    public String name() {
        return "discovery-eviction";
    }

    @Override
    public Duration period() {
        return period;
    }

    @Override
    public void run() {
        int evicted = cache.evictExpired();
        if (evicted > 0) {
            LOGGER.debug("Evicted {} expired key discovery answers", evicted);
        }
        int deleted = storedEviction.getAsInt();
        if (deleted > 0) {
            LOGGER.info("Deleted {} stored discovered key(s) past their maximum age", deleted);
        }
    }
}
