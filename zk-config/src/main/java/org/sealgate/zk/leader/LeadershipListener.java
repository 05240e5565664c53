package org.sealgate.zk.leader;

/** Told when this node starts or stops leading the scheduled jobs. */
@FunctionalInterface
public interface LeadershipListener {

    void leadershipChanged(boolean leader);
}
