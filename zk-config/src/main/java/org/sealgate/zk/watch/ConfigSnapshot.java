package org.sealgate.zk.watch;

import java.time.Instant;

import org.sealgate.zk.config.ClusterConfig;
import org.sealgate.zk.config.ConfigDocument;

/**
 * One applied configuration version, immutable; the mail pipeline holds on to one for the whole of a mail.
 *
 * @param appliedAt when ZooKeeper recorded this version (server time of the write)
 * @param source    read from ZooKeeper, or from the local last-known-good file while ZooKeeper was unreachable
 */
public record ConfigSnapshot(ConfigDocument document, int version, Instant appliedAt, Source source) {

    public enum Source { ZOOKEEPER, LAST_KNOWN_GOOD }

    public ClusterConfig config() {
        return document.config();
    }

    ConfigSnapshot from(Source newSource) {
        return new ConfigSnapshot(document, version, appliedAt, newSource);
    }
}
