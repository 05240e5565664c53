package org.sealgate.vip;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Id;

/** Creates {@link VipWatcher}s. */
public final class VipWatchers {
    public static final Duration DEFAULT_REFRESH = Duration.ofMillis(500);

    private VipWatchers() {
    }

    /**
     * @param client        a started-or-not client of the Sealgate chroot as the node identity (reads the document,
     *                      creates in {@code /vip}); the caller starts and closes it
     * @param identity      the node's digest identity, given READ|WRITE on its claim
     * @param out           the keepalived.conf to keep rendered (written owner-only, atomically)
     * @param lastKnownGood the node-local copy of the last configuration applied, used while ZooKeeper is away
     * @param refresh       how often the notify script's state file and keepalived's liveness are looked at
     */
    public static VipWatcher watch(CuratorFramework client, Id identity, String nodeId, Path out, KeepalivedOptions options,
                                   Reloader reloader, Path lastKnownGood, Duration refresh) {
        return new VipWatcherImpl(client, identity, nodeId, out, options, reloader, lastKnownGood, refresh);
    }
}
