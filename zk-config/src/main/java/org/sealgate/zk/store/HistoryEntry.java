package org.sealgate.zk.store;

import java.time.Instant;

/** One applied version: when (ZooKeeper server time), by whom, how big and its SHA-256 (hex). */
public record HistoryEntry(int version, Instant appliedAt, String author, int size, String sha256) {
}
