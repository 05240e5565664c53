package org.sealgate.routes.jobs;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring only: one Camel timer route per job, on every node; each tick runs the job only while {@code leading} says
 * this node leads the jobs (zk-config's JobLeadership, or always for a standalone node). Timers use fixed delay, so
 * a slow run never overlaps the next one on this node.
 */
public final class JobRoutes extends RouteBuilder {
    private static final Logger LOGGER = LoggerFactory.getLogger(JobRoutes.class);
    private static final Duration SHORTEST_PERIOD = Duration.ofMillis(100);

    private final List<ScheduledJob> jobs;
    private final BooleanSupplier leading;
    private final JobStatistics statistics;

    public JobRoutes(List<ScheduledJob> jobs, BooleanSupplier leading, JobStatistics statistics) {
        this.jobs = List.copyOf(jobs);
        this.leading = Objects.requireNonNull(leading);
        this.statistics = Objects.requireNonNull(statistics);
        Set<String> names = new HashSet<>();
        for (ScheduledJob job : this.jobs) {
            if (!job.name().matches("[a-z0-9-]{1,40}") || !names.add(job.name())) {
                throw new IllegalArgumentException("job names are unique, lower-case letters, digits and dashes: "
                    + job.name());
            }
            checkedPeriod(job.period());
        }
    }

    static Duration checkedPeriod(Duration period) {
        if (period == null || period.compareTo(SHORTEST_PERIOD) < 0) {
            throw new IllegalArgumentException("a job period is at least " + SHORTEST_PERIOD.toMillis() + " ms: " + period);
        }
        return period;
    }

    @Override
    public void configure() {
        for (ScheduledJob job : jobs) {
            long millis = job.period().toMillis();
            from("timer:sealgate-job-" + job.name() + "?fixedRate=false&period=" + millis + "&delay=" + millis)
                .routeId("job-" + job.name())
                .process(exchange -> runIfLeading(job));
        }
    }

    private void runIfLeading(ScheduledJob job) {
        if (!leading.getAsBoolean()) {
            statistics.recordSkip(job.name());
            return;
        }
        try {
            job.run();
            statistics.recordRun(job.name());
        } catch (RuntimeException e) {
            // One failed run must not stop the timer: log, count, and try again next period.
            statistics.recordFailure(job.name());
            LOGGER.warn("Scheduled job {} failed: {}", job.name(), e.toString());
        }
    }
}
