package org.sealgate.zk.leader;

import java.time.Duration;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Id;

/** Creates {@link JobLeadership}s. */
public final class JobLeaderships {
    /** How often the candidate checks its place even without a watch event (a safety net, one read). */
    public static final Duration RECHECK = Duration.ofSeconds(5);

    private JobLeaderships() {
    }

    /**
     * @param client a node client of the Sealgate chroot; the caller starts and closes it
     * @param node   the node's ZooKeeper identity, READ on its own candidate node (admins get ALL)
     * @param nodeId the node's id, part of the candidate's name so that an admin sees who leads
     */
    public static JobLeadership elect(CuratorFramework client, Id node, String nodeId) {
        return new JobLeadershipImpl(client, node, nodeId, RECHECK);
    }

    static JobLeadership elect(CuratorFramework client, Id node, String nodeId, Duration recheck) {
        return new JobLeadershipImpl(client, node, nodeId, recheck);
    }

    /** A node without ZooKeeper (standalone) is its own leader from start to close. */
    public static JobLeadership alone() {
        return new AloneLeadership();
    }
}
