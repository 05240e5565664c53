package org.sealgate.zk.watch;

import java.nio.file.Path;
import java.time.Clock;

import org.apache.curator.framework.CuratorFramework;

/** Creates {@link ConfigWatcher}s. */
public final class ConfigWatchers {

    private ConfigWatchers() {
    }

    /**
     * @param client        a client of the Sealgate chroot with read access; the caller starts and closes it
     * @param lastKnownGood the node-local file holding the last applied version
     */
    public static ConfigWatcher watch(CuratorFramework client, Path lastKnownGood) {
        return new ConfigWatcherImpl(client, new LastKnownGood(lastKnownGood), Clock.systemUTC());
    }
}
