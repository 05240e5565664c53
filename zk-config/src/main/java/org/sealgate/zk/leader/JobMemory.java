package org.sealgate.zk.leader;

import java.util.ArrayList;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.Id;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.ZkLayout;

/**
 * What the jobs have done, shared by all leaders: one empty child of {@code /jobs/expiry-warned} per fact (e.g. a
 * warning sent for a key and threshold). Nodes may only create there, so a fact, once remembered, cannot be
 * unremembered by a node; an admin can delete it to have a warning sent again.
 */
public final class JobMemory {
    private final CuratorFramework client;
    private final Id node;

    public JobMemory(CuratorFramework client, Id node) {
        this.client = client;
        this.node = node;
    }

    public boolean contains(String fact) throws ConfigStoreException {
        try {
            return client.checkExists().forPath(path(fact)) != null;
        } catch (Exception e) {
            throw failure("read", fact, e);
        }
    }

    /** Remembers the fact; remembering it twice is harmless. */
    public void remember(String fact) throws ConfigStoreException {
        try {
            byte[] folder = client.getData().forPath(ZkLayout.JOBS_WARNED);
            client.create().withMode(CreateMode.PERSISTENT)
                .withACL(new ArrayList<>(ConfigAcls.createdByNode(folder, node, Perms.READ))).forPath(path(fact));
        } catch (KeeperException.NodeExistsException e) {
            // remembered already (by us or an earlier leader)
        } catch (Exception e) {
            throw failure("write", fact, e);
        }
    }

    private static String path(String fact) {
        if (!fact.matches("[a-z0-9.-]{1,200}")) {
            throw new IllegalArgumentException("a job fact is lower-case letters, digits, dots and dashes: " + fact);
        }
        return ZkLayout.child(ZkLayout.JOBS_WARNED, fact);
    }

    private static ConfigStoreException failure(String what, String fact, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new ConfigStoreException("cannot " + what + " " + path(fact) + ": " + e, e);
    }
}
