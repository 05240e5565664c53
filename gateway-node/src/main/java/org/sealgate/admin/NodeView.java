package org.sealgate.admin;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/** What the admin endpoint reads from the running node; implemented by the node, over James and its cluster link. */
public interface NodeView {

    /** The queues now, with the retry figures (reads the delivery queues' mails: for metrics); fails when the broker does not answer. */
    QueueStats queues() throws IOException;

    /** Mails in all queues now, by their sizes only (cheap: for health and drain); fails when the broker does not answer. */
    long queuedMails() throws IOException;

    /** Empty when the queue takes mail (broker answers, its store is writable with room left); else why not. */
    Optional<String> queueProblem();

    /** Empty when the configuration in force is current (cluster: not stale; standalone: policy file loaded). */
    Optional<String> configProblem();

    /** The cluster configuration version in force; empty for a standalone node or before the first read. */
    OptionalInt configVersion();

    /** When ZooKeeper recorded the version in force; empty for a standalone node. */
    Optional<Instant> configAppliedAt();

    /** Since when the version in force may be outdated (ZooKeeper unreachable); empty when current. */
    Optional<Instant> configStaleSince();

    /** Whether the ZooKeeper session is connected; empty for a standalone node. */
    Optional<Boolean> zooKeeperConnected();
}
