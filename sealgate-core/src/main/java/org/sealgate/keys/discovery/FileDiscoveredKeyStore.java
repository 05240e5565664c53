package org.sealgate.keys.discovery;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.KeyImports;
import org.sealgate.pgp.PgpKeys;

/**
 * Discovered keys as one small properties file each ({@code <data>/keys/discovered/<kind>-<fingerprint>.key}, see
 * {@link DiscoveredKeys#identity}; a newer copy of the same key is merged into it: kind,
 * address, source, found, the key's bytes in Base64), written to a temporary file and renamed so readers in other
 * processes (the CLI) never see half a file. A file that cannot be read is skipped: it is only ever a candidate.
 */
public final class FileDiscoveredKeyStore implements DiscoveredKeyStore {
    private static final long MAX_FILE_BYTES = 512 * 1024;

    private final Path directory;

    public FileDiscoveredKeyStore(Path directory) {
        this.directory = directory;
    }

    @Override
    public synchronized void store(DiscoveredKey found) {
        String identity = DiscoveredKeys.identity(found);
        Path target = directory.resolve(identity + ".key");
        DiscoveredKey stored = Files.exists(target) ? read(target) : null;
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
        }
    }

    @Override
    public List<DiscoveredKey> keysFor(String address) {
        String wanted = Addresses.normalise(address);
        return all().stream().filter(key -> key.address().equals(wanted)).toList();
    }

    @Override
    public synchronized List<DiscoveredKey> all() {
        List<DiscoveredKey> keys = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.key")) {
            for (Path file : files) {
                DiscoveredKey key = read(file);
                if (key != null) {
                    keys.add(key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list discovered keys in " + directory, e);
        }
        keys.sort(Comparator.comparing(DiscoveredKey::foundAt).reversed());
        return keys;
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

    private synchronized int removeWhere(java.util.function.Predicate<DiscoveredKey> which) {
        int removed = 0;
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.key")) {
            for (Path file : files) {
                DiscoveredKey key = read(file);
                if (key != null && which.test(key) && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove discovered keys in " + directory, e);
        }
        return removed;
    }

    private static DiscoveredKey read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                return null;
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
        } catch (IOException | RuntimeException e) {
            // Unreadable or damaged: not a key; the next discovery writes a good one.
            return null;
        }
    }
}
