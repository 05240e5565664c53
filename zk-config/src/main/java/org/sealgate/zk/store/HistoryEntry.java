package org.sealgate.zk.store;

import java.time.Instant;

/** One applied version: when (ZooKeeper server time), by whom, how big, its SHA-256 (hex) and the author's note ("" if none). */
public record HistoryEntry(int version, Instant appliedAt, String author, int size, String sha256, String message) {
    public HistoryEntry {
        message = message == null ? "" : message;
    }

    public HistoryEntry(int version, Instant appliedAt, String author, int size, String sha256) {
        this(version, appliedAt, author, size, sha256, "");
    }
}
