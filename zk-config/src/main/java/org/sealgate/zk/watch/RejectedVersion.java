package org.sealgate.zk.watch;

import java.time.Instant;

/** A version found in ZooKeeper that did not validate (written around the CLI) and was therefore not applied. */
public record RejectedVersion(int version, Instant seenAt, String reason) {
}
