package org.sealgate.gina.key;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A set of AES-256 cluster keys by key id: the current one seals, every known one that is not retired opens.
 * Keys rotate by adding a new id and making it current; old containers stay readable until their id is retired.
 * The ring is read from a file handed to each node out of band (owner-only, never in ZooKeeper in clear):
 * <pre>
 * current=2026-11
 * key.2026-10=BASE64(32 bytes)
 * key.2026-11=BASE64(32 bytes)
 * retired=2025-01,2025-02
 * </pre>
 * {@link #toString()} names the ids only; key bytes never reach a log.
 */
public final class KeyRing {
    public static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentId;
    private final Map<String, SecretKey> keys;
    private final Set<String> retired;

    public KeyRing(String currentId, Map<String, byte[]> keys, Set<String> retired) {
        for (String id : keys.keySet()) {
            requireValidId(id);
        }
        if (!keys.containsKey(currentId)) {
            throw new IllegalArgumentException("the current key id '" + currentId + "' has no key");
        }
        if (retired.contains(currentId)) {
            throw new IllegalArgumentException("the current key id '" + currentId + "' is retired");
        }
        Map<String, SecretKey> copy = new LinkedHashMap<>();
        keys.forEach((id, bytes) -> {
            if (bytes.length != KEY_BYTES) {
                throw new IllegalArgumentException("key '" + id + "' is " + bytes.length + " bytes, expected " + KEY_BYTES);
            }
            copy.put(id, new SecretKeySpec(bytes.clone(), "AES"));
        });
        this.currentId = currentId;
        this.keys = Collections.unmodifiableMap(copy);
        this.retired = Collections.unmodifiableSet(new LinkedHashSet<>(retired));
    }

    /** A ring with one fresh random key, for first starts (demo) and tests. */
    public static KeyRing generate(String id) {
        return new KeyRing(id, Map.of(id, randomKey()), Set.of());
    }

    public static byte[] randomKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    public static KeyRing load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        String current = properties.getProperty("current");
        if (current == null || current.isBlank()) {
            throw new IOException(file + ": no 'current=KEY-ID' line");
        }
        Map<String, byte[]> keys = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("key.")) {
                try {
                    keys.put(name.substring(4), Base64.getDecoder().decode(properties.getProperty(name).strip()));
                } catch (IllegalArgumentException e) {
                    // The message must not quote the value: it is key material.
                    throw new IOException(file + ": " + name + " is not base64", null);
                }
            }
        }
        Set<String> retired = new LinkedHashSet<>();
        for (String id : properties.getProperty("retired", "").split(",")) {
            if (!id.isBlank()) {
                retired.add(id.strip());
            }
        }
        try {
            return new KeyRing(current.strip(), keys, retired);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the ring owner-only (rw-------), replacing the file atomically. */
    public void save(Path file) throws IOException {
        StringWriter text = new StringWriter();
        text.append("# Sealgate cluster key ring: owner-only, copy to each node out of band, never into ZooKeeper.\n");
        text.append("current=").append(currentId).append('\n');
        keys.forEach((id, key) -> text.append("key.").append(id).append('=')
            .append(Base64.getEncoder().encodeToString(key.getEncoded())).append('\n'));
        text.append("retired=").append(String.join(",", retired)).append('\n');
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".keyring", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, text.toString(), StandardCharsets.UTF_8);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads the ring, or creates one with a fresh key under {@code id} if the file does not exist yet. */
    public static KeyRing loadOrCreate(Path file, String id) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        KeyRing ring = generate(id);
        ring.save(file);
        return ring;
    }

    public String currentId() {
        return currentId;
    }

    public SecretKey currentKey() {
        return keys.get(currentId);
    }

    /** What a key id resolves to when opening. */
    public Lookup lookup(String id) {
        if (retired.contains(id)) {
            return new Lookup(LookupResult.RETIRED, Optional.empty());
        }
        SecretKey key = keys.get(id);
        return key == null ? new Lookup(LookupResult.UNKNOWN, Optional.empty()) : new Lookup(LookupResult.FOUND, Optional.of(key));
    }

    /** A new ring with a fresh key {@code newId} made current; the old keys stay readable. */
    public KeyRing rotate(String newId) {
        Map<String, byte[]> next = new LinkedHashMap<>();
        keys.forEach((id, key) -> next.put(id, key.getEncoded()));
        next.put(requireValidId(newId), randomKey());
        return new KeyRing(newId, next, retired);
    }

    /** A new ring in which {@code id} no longer opens anything (its key is also dropped). */
    public KeyRing retire(String id) {
        Map<String, byte[]> next = new LinkedHashMap<>();
        keys.forEach((k, key) -> {
            if (!k.equals(id)) {
                next.put(k, key.getEncoded());
            }
        });
        Set<String> nextRetired = new LinkedHashSet<>(retired);
        nextRetired.add(id);
        return new KeyRing(currentId, next, nextRetired);
    }

    public Set<String> retiredIds() {
        return retired;
    }

    private static String requireValidId(String id) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("key id '" + id + "' is not 1-64 characters of [A-Za-z0-9._-]");
        }
        return id;
    }

    @Override
    public String toString() {
        return "KeyRing[current=" + currentId + ", ids=" + keys.keySet() + ", retired=" + retired + "]";
    }

    public enum LookupResult { FOUND, UNKNOWN, RETIRED }

    public record Lookup(LookupResult result, Optional<SecretKey> key) {
    }

}
