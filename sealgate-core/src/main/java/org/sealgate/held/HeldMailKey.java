package org.sealgate.held;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that seals held mail. It is derived (HMAC-SHA256, label {@code sealgate held mail v1}) from a 256-bit key
 * file in the cluster master key's format (one line, Base64): the cluster master key on a cluster node, a local key
 * file on a standalone one. Deriving keeps the two uses apart: a held-mail ciphertext can never be opened as a
 * sealed user key or the other way round. Each mail is sealed under its own key, derived again from this one and
 * the mail's id. {@code toString()} shows only the id.
 */
public final class HeldMailKey {
    static final int KEY_BYTES = 32;
    private static final byte[] LABEL = "sealgate held mail v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final byte[] key;
    private final String keyId;

    private HeldMailKey(byte[] key) {
        this.key = key;
        this.keyId = idOf(key);
    }

    /** Derives the held-mail key from a 32-byte key (the caller clears its copy). */
    public static HeldMailKey derivedFrom(byte[] fileKey) {
        if (fileKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("a key file holds " + KEY_BYTES + " bytes, not " + fileKey.length);
        }
        return new HeldMailKey(hmac(fileKey, LABEL));
    }

    /** Reads a key file (refused when group or others may read it); the error never quotes the content. */
    public static HeldMailKey fromFile(Path file) throws IOException {
        if (POSIX) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IOException(file + ": the key must be readable by its owner only (chmod 600)");
            }
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not a key file (expected one line of Base64)");
        }
        try {
            return derivedFrom(decoded);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /** Reads the key file, or creates it (mode 0600, its directory 0700) when there is none. */
    public static HeldMailKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return fromFile(file);
        }
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (POSIX) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createDirectories(directory);
                Files.createFile(file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            return derivedFrom(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Identifies the key without revealing it (hex of a hash prefix); stored with each held mail. */
    public String keyId() {
        return keyId;
    }

    /** The one mail's own AES-256 key. */
    byte[] mailKey(String id) {
        return hmac(key, ("mail " + id).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    private static String idOf(byte[] key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("sealgate-held-key-id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(Arrays.copyOf(digest.digest(key), 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "held mail key " + keyId + " (key hidden)";
    }
}
