package org.sealgate.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parsed content of one sub-directory of the key directory, re-read when another process changed it.
 * Checking costs one directory listing with file attributes, done at most once per {@code checkInterval};
 * only new or modified files are parsed again. A file that cannot be parsed is skipped with one warning.
 * Public for the stores beside the key directory (discovered keys); their readers follow the same rules.
 */
public final class CachedFolder<T> {

    /** Parses one file; throws whatever the format library throws, the folder turns it into a warning. */
    @FunctionalInterface
    public interface FileParser<T> {
        T parse(Path file) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(CachedFolder.class);

    private final Path directory;
    private final String suffix;
    private final FileParser<T> parser;
    private final Duration checkInterval;
    private final Clock clock;

    /** Sorted by file name so that every process lists entries in the same order. */
    private Map<String, Entry<T>> entries = new TreeMap<>();
    /** The parsed values; replaced (never mutated) when the folder changed, so callers may key caches on it. */
    private Map<String, T> contents = Map.of();
    private long nextCheckMillis = Long.MIN_VALUE;

    public CachedFolder(Path directory, String suffix, FileParser<T> parser, Duration checkInterval, Clock clock) {
        this.directory = Objects.requireNonNull(directory);
        this.suffix = Objects.requireNonNull(suffix);
        this.parser = Objects.requireNonNull(parser);
        this.checkInterval = Objects.requireNonNull(checkInterval);
        this.clock = Objects.requireNonNull(clock);
    }

    Path directory() {
        return directory;
    }

    /**
     * The parsed files by file name, unmodifiable. The same instance is returned until the folder changes, which
     * lets callers rebuild derived indexes only when needed.
     */
    public synchronized Map<String, T> contents() {
        long now = clock.millis();
        if (now >= nextCheckMillis) {
            Map<String, Entry<T>> rescanned = rescan(entries);
            if (!rescanned.equals(entries)) {
                entries = rescanned;
                contents = parsedValues(rescanned);
            }
            nextCheckMillis = now + checkInterval.toMillis();
        }
        return contents;
    }

    List<T> values() {
        return List.copyOf(contents().values());
    }

    /** Makes the next call re-check the directory, used after this process wrote or deleted a file. */
    public synchronized void invalidate() {
        nextCheckMillis = Long.MIN_VALUE;
    }

    private Map<String, Entry<T>> rescan(Map<String, Entry<T>> previous) {
        Map<String, Entry<T>> current = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + suffix)) {
            for (Path file : files) {
                if (PrivateFiles.isTemporary(file)) {
                    continue;
                }
                String name = file.getFileName().toString();
                Version version = versionOf(file);
                if (version == null) {
                    continue; // deleted between listing and reading its attributes
                }
                Entry<T> known = previous.get(name);
                current.put(name, known != null && known.version().equals(version) ? known : load(file, version));
            }
        } catch (NoSuchFileException e) {
            return current;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list key directory " + directory, e);
        }
        return current;
    }

    private static <T> Map<String, T> parsedValues(Map<String, Entry<T>> entries) {
        Map<String, T> values = new LinkedHashMap<>();
        entries.forEach((name, entry) -> {
            if (entry.value() != null) {
                values.put(name, entry.value());
            }
        });
        return Collections.unmodifiableMap(values);
    }

    private Entry<T> load(Path file, Version version) {
        try {
            return new Entry<>(version, parser.parse(file));
        } catch (NoSuchFileException e) {
            return new Entry<>(version, null);
        } catch (Exception e) {
            // Boundary: whatever the parser throws, one bad file must not hide the others.
            LOG.warn("Skipping unreadable key file {}: {}", file, e.toString());
            return new Entry<>(version, null);
        }
    }

    private static Version versionOf(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Version(attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Identifies a file's content cheaply; the file key (inode) changes on every atomic replacement. */
    private record Version(long lastModifiedMillis, long size, Object fileKey) {
    }

    /** A file and its parsed value; {@code value} is null for a file that could not be parsed. */
    private record Entry<T>(Version version, T value) {
    }
}
