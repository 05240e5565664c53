package org.sealgate.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clustered node (and the demo) takes its policy from ZooKeeper, so {@code DATA/policy.properties} is not read:
 * an admin who edits it expects an effect and gets none. This warns, naming the file and what to do instead, when
 * the node starts with the file present and each time the file appears or changes while the node runs (checked
 * every few seconds: a poll of one file's attributes, no watch service to leak). Lifecycle: {@link #start} once,
 * {@link #close} idempotent.
 */
final class IgnoredPolicyFile implements AutoCloseable {
    static final Duration DEFAULT_CHECK = Duration.ofSeconds(3);
    private static final Logger LOGGER = LoggerFactory.getLogger(IgnoredPolicyFile.class);
    private final Path file;
    private final Duration every;
    private ScheduledExecutorService checker;
    private Object lastSeen;

    IgnoredPolicyFile(Path file, Duration every) {
        this.file = file;
        this.every = every;
    }

    /** The warning, one line: the file, that it is ignored, the commands that do change the policy. */
    static String warning(Path file) {
        return file + " is IGNORED: this node takes its policy from the cluster configuration in ZooKeeper."
            + " Change policy with `sealgate config show --data DATA` (the document in force), then"
            + " `sealgate config apply FILE --data DATA`; delete or rename " + file.getFileName();
    }

    synchronized void start() {
        if (checker != null) {
            throw new IllegalStateException("already started");
        }
        lastSeen = state();
        if (lastSeen != null) {
            LOGGER.warn(warning(file));
        }
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ignored-policy-file");
            thread.setDaemon(true);
            return thread;
        });
        checker.scheduleWithFixedDelay(this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void check() {
        Object now = state();
        if (now != null && !Objects.equals(now, lastSeen)) {
            LOGGER.warn(warning(file));
        }
        lastSeen = now;
    }

    /** Modification time and size, or null when the file is absent (or unreadable: nothing to warn about). */
    private Object state() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime() + "/" + attributes.size() + "/" + attributes.fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        if (checker != null) {
            checker.shutdownNow();
        }
    }
}
