package org.sealgate.zk.leader;

import java.io.Closeable;

import org.apache.curator.framework.listen.Listenable;

/**
 * Whether this node runs the cluster's scheduled jobs: one leader among the running nodes, elected in ZooKeeper under
 * {@code /jobs/leader}. Built like a Curator recipe: create with {@link JobLeaderships}, {@link #start()} once,
 * {@link #close()} when done (closing twice is harmless; closing withdraws the candidacy).
 *
 * <p>Never two leaders at once: a leader stops leading as soon as its connection is SUSPENDED (the ZooKeeper client
 * notices silence after two thirds of the session timeout), while the others can only take over once ZooKeeper has
 * expired its session (after the whole session timeout) and deleted its candidate node. Jobs check
 * {@link #isLeader()} before each run and between units of work.
 */
public interface JobLeadership extends Closeable {

    enum State { LATENT, STARTED, CLOSED }

    /** Stands as a candidate; does not wait for ZooKeeper. */
    void start();

    /** True only while started, connected, and our candidate is the first in line. */
    boolean isLeader();

    /** Listeners are told of each change, on the thread that noticed it; they must return quickly. */
    Listenable<LeadershipListener> listenable();

    State state();

    @Override
    void close();
}
