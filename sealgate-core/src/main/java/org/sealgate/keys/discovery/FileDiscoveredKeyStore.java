package org.sealgate.keys.discovery;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.sealgate.keys.Addresses;
import org.sealgate.keys.CachedFolder;
import org.sealgate.keys.KeyImports;
import org.sealgate.pgp.PgpKeys;

/**
 * Discovered keys as one small properties file each ({@code <data>/keys/discovered/<kind>-<fingerprint>.key}, see
 * {@link DiscoveredKeys#identity}; a newer copy of the same key is merged into it: kind,
 * address, source, found, the key's bytes in Base64), written to a temporary file and renamed so readers in other
 * processes (the CLI) never see half a file. A file that cannot be read is skipped: it is only ever a candidate.
 * <p>
 * Read as the key directory is ({@link CachedFolder}): the directory is listed at most every
 * {@link #DEFAULT_CHECK_INTERVAL}, only new or changed files are parsed, and the keys are indexed by address when
 * the listing changed. Every outbound recipient is looked up here (S/MIME and OpenPGP); parsing every file for each
 * look-up cost ~30 ms per look-up with 1,000 discovered keys ({@code DiscoveredKeyLookupBenchmark}).
 */
public final class FileDiscoveredKeyStore implements DiscoveredKeyStore {
    /** As the key directory's: another process's write or removal is seen here within this. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(200);
    private static final long MAX_FILE_BYTES = 512 * 1024;

    private final Path directory;
    private final CachedFolder<DiscoveredKey> files;
    /** The listing {@link #index} was built from; a new map whenever the folder changed. */
    private Map<String, DiscoveredKey> indexed;
    private DiscoveredKeyIndex index = DiscoveredKeyIndex.EMPTY;

    public FileDiscoveredKeyStore(Path directory) {
        this(directory, DEFAULT_CHECK_INTERVAL, Clock.systemUTC());
    }

    public FileDiscoveredKeyStore(Path directory, Duration checkInterval, Clock clock) {
        this.directory = directory;
        this.files = new CachedFolder<>(directory, ".key", FileDiscoveredKeyStore::read, checkInterval, clock);
    }

    @Override
    public synchronized void store(DiscoveredKey found) {
        String identity = DiscoveredKeys.identity(found);
        Path target = directory.resolve(identity + ".key");
        DiscoveredKey stored = Files.exists(target) ? readOrNull(target) : null;
        DiscoveredKey key = stored == null ? found : DiscoveredKeys.merge(stored, found);
        byte[] encoded = key.encoded();
        Properties properties = new Properties();
        properties.setProperty("kind", key.kind().name());
        properties.setProperty("address", Addresses.normalise(key.address()));
        properties.setProperty("source", key.source());
        properties.setProperty("found", key.foundAt().toString());
        properties.setProperty("key", Base64.getEncoder().encodeToString(encoded));
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, ".discovered", ".tmp");
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(writer, "discovered key; re-validated whenever it is used");
            }
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store a discovered key in " + directory, e);
        } finally {
            files.invalidate();
        }
    }

    @Override
    public synchronized List<DiscoveredKey> keysFor(String address) {
        return index().keysFor(address);
    }

    @Override
    public synchronized List<DiscoveredKey> all() {
        return index().all();
    }

    @Override
    public int remove(String address) {
        String wanted = Addresses.normalise(address);
        return removeWhere(key -> key.address().equals(wanted));
    }

    @Override
    public int removeFoundBefore(Instant cutoff) {
        return removeWhere(key -> key.foundAt().isBefore(cutoff));
    }

    private synchronized int removeWhere(Predicate<DiscoveredKey> which) {
        // What is on disk now, not what was listed up to a check interval ago.
        files.invalidate();
        int removed = 0;
        try {
            for (Map.Entry<String, DiscoveredKey> file : files.contents().entrySet()) {
                if (which.test(file.getValue()) && Files.deleteIfExists(directory.resolve(file.getKey()))) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove discovered keys in " + directory, e);
        } finally {
            files.invalidate();
        }
        return removed;
    }

    /** The index, rebuilt when the folder's listing changed (a new contents map). */
    private DiscoveredKeyIndex index() {
        Map<String, DiscoveredKey> contents = files.contents();
        if (contents != indexed) {
            index = DiscoveredKeyIndex.of(contents.values());
            indexed = contents;
        }
        return index;
    }

    private static DiscoveredKey readOrNull(Path file) {
        try {
            return read(file);
        } catch (IOException | RuntimeException e) {
            // Unreadable or damaged: not a key; the new copy replaces it.
            return null;
        }
    }

    /** One file's key; throws when it is too large, damaged or not a key (the folder skips it with a warning). */
    private static DiscoveredKey read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        DiscoveredKey.Kind kind = DiscoveredKey.Kind.valueOf(properties.getProperty("kind", ""));
        String address = properties.getProperty("address", "");
        String source = properties.getProperty("source", "");
        Instant found = Instant.parse(properties.getProperty("found", ""));
        byte[] key = Base64.getDecoder().decode(properties.getProperty("key", ""));
        return kind == DiscoveredKey.Kind.SMIME
            ? DiscoveredKey.smime(address, source, found, KeyImports.readCertificates(key).get(0))
            : DiscoveredKey.openPgp(address, source, found, PgpKeys.read(key));
    }
}
