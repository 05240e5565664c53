package org.sealgate.zk.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster master key: 256 random bits that seal managed users' private keys before they go to ZooKeeper
 * (AES-256-GCM, a fresh 96-bit nonce per sealing, the znode's identity as associated data). It is given to each
 * node out of band as a file (one line, Base64; e.g. {@code DATA/secrets/cluster-master.key}, mode 0600) and is
 * never written to ZooKeeper. {@link #keyId()} (a hash prefix, not the key) is stored with each sealed key so a
 * node with the wrong key file says so instead of reporting damaged keys. {@code toString()} shows only the id.
 */
public final class ClusterMasterKey {
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final String keyId;

    private ClusterMasterKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a cluster master key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = key.clone();
        this.keyId = idOf(key);
    }

    /** Reads the key file; refuses a file that others may read. The error never quotes the content. */
    public static ClusterMasterKey fromFile(Path file) throws IOException {
        if (Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IOException(file + ": the cluster master key must be readable by its owner only (chmod 600)");
            }
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not a cluster master key (expected one line of Base64)");
        }
        try {
            return new ClusterMasterKey(decoded);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /** Creates a new random key file (mode 0600, directory 0700); refuses to overwrite an existing one. */
    public static ClusterMasterKey create(Path file) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (!Files.exists(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            return new ClusterMasterKey(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    public static ClusterMasterKey loadOrCreate(Path file) throws IOException {
        return Files.exists(file) ? fromFile(file) : create(file);
    }

    /** Identifies the key without revealing it: the first 8 bytes of SHA-256("sealgate-master-key-id" || key), hex. */
    public String keyId() {
        return keyId;
    }

    /** Nonce followed by ciphertext and tag. */
    byte[] seal(byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce);
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    /** @throws IllegalArgumentException when the data was changed, belongs to another znode, or another key sealed it */
    byte[] open(byte[] sealed, byte[] associatedData) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("sealed key is too short");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("integrity check failed (changed, moved, or sealed under another master key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        return cipher;
    }

    private static String idOf(byte[] key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("sealgate-master-key-id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(Arrays.copyOf(digest.digest(key), 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "cluster master key " + keyId + " (key hidden)";
    }
}
