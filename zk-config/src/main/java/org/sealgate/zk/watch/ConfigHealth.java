package org.sealgate.zk.watch;

import java.util.Optional;

/**
 * What a node says about its configuration in its health output.
 *
 * @param version      the version in force, empty when there is none at all
 * @param staleSince   set while ZooKeeper is unreachable or not yet read: the version in force may be outdated
 * @param lastRejected the newest version that was refused, if it is newer than the one in force
 */
public record ConfigHealth(Optional<Integer> version,
                           Optional<java.time.Instant> staleSince,
                           Optional<ConfigSnapshot.Source> source,
                           Optional<RejectedVersion> lastRejected) {

    public boolean isStale() {
        return staleSince.isPresent();
    }

    public boolean isUpToDate() {
        return staleSince.isEmpty() && lastRejected.isEmpty() && version.isPresent();
    }

    /** One line, e.g. {@code config stale since 2025-01-01T10:00:00Z (serving version 4 from the last-known-good file)}. */
    public String message() {
        String serving = version.map(v -> "version " + v + (source.orElse(null) == ConfigSnapshot.Source.LAST_KNOWN_GOOD
            ? " from the last-known-good file" : "")).orElse("no configuration");
        StringBuilder text = new StringBuilder(staleSince
            .map(t -> "config stale since " + t + " (serving " + serving + ")")
            .orElse(version.isPresent() ? "config " + serving + " up to date" : "config: none applied yet"));
        lastRejected.ifPresent(r -> text.append("; version ").append(r.version()).append(" in ZooKeeper refused: ")
            .append(r.reason()));
        return text.toString();
    }
}
