package org.sealgate.zk.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.InvalidConfigException;
import org.sealgate.zk.store.LocalFiles;

/**
 * The node's local copy of the last applied version, so it can start and keep relaying while ZooKeeper is down.
 * Written to a temporary file, forced to disk, then renamed over the old one: a crash leaves the old or the new
 * copy, never half of one. The document is re-validated on read, so a damaged file is ignored, not trusted.
 */
final class LastKnownGood {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Stored(int version, String appliedAt, String sha256, String document) {
    }

    private final Path file;

    LastKnownGood(Path file) {
        this.file = file.toAbsolutePath();
    }

    Path file() {
        return file;
    }

    void write(ConfigSnapshot snapshot) throws IOException {
        LocalFiles.writeOwnerOnlyAtomically(file, JSON.writeValueAsBytes(new Stored(snapshot.version(),
            snapshot.appliedAt().toString(), snapshot.document().sha256(), snapshot.document().text())));
    }

    /** The saved snapshot; empty when there is no file. */
    Optional<ConfigSnapshot> read() throws IOException, InvalidConfigException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Stored stored = JSON.readValue(file.toFile(), Stored.class);
        ConfigDocument document = ConfigDocument.parse(stored.document());
        if (!document.sha256().equals(stored.sha256())) {
            throw new IOException(file + ": the document does not match its recorded SHA-256");
        }
        return Optional.of(new ConfigSnapshot(document, stored.version(), Instant.parse(stored.appliedAt()),
            ConfigSnapshot.Source.LAST_KNOWN_GOOD));
    }
}
