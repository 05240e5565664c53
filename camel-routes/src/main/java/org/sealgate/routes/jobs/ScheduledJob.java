package org.sealgate.routes.jobs;

import java.time.Duration;

/**
 * A cluster-wide job: runs every {@link #period()} on the one node that leads the jobs (see {@link JobRoutes}).
 * A run that throws is logged and counted; the next period runs it again. Long runs should check the leadership
 * between units of work (they get it at construction) and stop when it is gone.
 */
public interface ScheduledJob {

    /** Lower-case letters, digits and dashes; names the Camel route and the metrics. */
    String name();

    Duration period();

    void run();
}
