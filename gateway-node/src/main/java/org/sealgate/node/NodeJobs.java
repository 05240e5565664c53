package org.sealgate.node;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.sealgate.audit.AuditPublisher;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.revocation.RevocationChecker;
import org.sealgate.routes.SealgateCamel;
import org.sealgate.keys.discovery.AgingDiscoveredKeyStore;
import org.sealgate.routes.discovery.DiscoveryCache;
import org.sealgate.routes.jobs.CrlRefreshJob;
import org.sealgate.routes.jobs.DiscoveryEvictionJob;
import org.sealgate.routes.jobs.ExpiryWarningJob;
import org.sealgate.routes.jobs.ExpiryWarningSettings;
import org.sealgate.routes.jobs.JobStatistics;
import org.sealgate.routes.jobs.ManagedKeyExpiries;
import org.sealgate.routes.jobs.NoticeMailer;
import org.sealgate.routes.jobs.WarningLedger;
import org.sealgate.zk.leader.JobLeadership;
import org.sealgate.zk.leader.JobLeaderships;

/**
 * The cluster's scheduled jobs on one node, as Camel timer routes on every node, each run only on the node that leads
 * them (elected in ZooKeeper; a standalone node leads alone). Started after James: notices go into its spool.
 */
final class NodeJobs implements AutoCloseable {
    /** A standalone node sends no expiry warnings (no document, no admin address), so it remembers none. */
    private static final WarningLedger NO_LEDGER = new WarningLedger() {
        @Override
        public boolean sent(String warning) {
            return false;
        }

        @Override
        public void remember(String warning) {
            // nothing to share
        }
    };

    private final JobLeadership leadership;
    private final boolean ownsLeadership;
    private final JobStatistics statistics;

    private NodeJobs(JobLeadership leadership, boolean ownsLeadership, JobStatistics statistics) {
        this.leadership = leadership;
        this.ownsLeadership = ownsLeadership;
        this.statistics = statistics;
    }

    /** {@code cluster} null for a standalone node. */
    static NodeJobs start(NodeLayout layout, ClusterLink cluster, SealgateCamel camel, NoticeMailer mailer,
                          KeyDirectory keys, PgpKeyDirectory pgpKeys, AuditPublisher audit, DiscoveryCache discoveryCache,
                          AgingDiscoveredKeyStore discoveredKeys, RevocationChecker revocation) throws IOException {
        JobSettings periods = JobSettings.load(layout.data());
        JobLeadership leadership;
        WarningLedger ledger;
        Supplier<Optional<ExpiryWarningSettings>> warnings;
        if (cluster != null) {
            leadership = cluster.jobLeadership();
            ledger = cluster.warningLedger();
            warnings = cluster::expiryWarnings;
        } else {
            leadership = JobLeaderships.alone();
            leadership.start();
            ledger = NO_LEDGER;
            warnings = Optional::empty; // the admin address is a cluster document setting
        }
        try {
            JobStatistics statistics = camel.scheduleJobs(List.of(
                new ExpiryWarningJob(ManagedKeyExpiries.of(keys, pgpKeys), warnings, ledger, mailer, audit,
                    leadership::isLeader, Clock.systemUTC(), periods.expiryWarnings()),
                new DiscoveryEvictionJob(discoveryCache, discoveredKeys::evictTooOld, periods.discoveryEviction()),
                new CrlRefreshJob(revocation::refreshDue, periods.crlRefresh())), leadership::isLeader);
            return new NodeJobs(leadership, cluster == null, statistics);
        } catch (RuntimeException e) {
            if (cluster == null) {
                leadership.close();
            }
            throw e;
        }
    }

    boolean leads() {
        return leadership.isLeader();
    }

    JobStatistics statistics() {
        return statistics;
    }

    /** Ends a standalone node's own leadership; a cluster node's belongs to its {@link ClusterLink}. */
    @Override
    public void close() {
        if (ownsLeadership) {
            leadership.close();
        }
    }
}
