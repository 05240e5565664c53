package org.sealgate.zk.store;

import java.time.Instant;

/** The document currently in {@code /config}, its version, and when ZooKeeper last changed it. */
public record StoredConfig(int version, String document, Instant modifiedAt) {
}
