package org.sealgate.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

import org.sealgate.zk.admin.ClusterAdminToken;

/**
 * The secret that authorises drain and resume: 256 random bits, new at every start, written to a file only the
 * node's user can read ({@code DATA/admin/token}, mode 0600), so only that user (and root) can drain the node; a
 * web page cannot either (it would need the secret in an {@code Authorization} header, which also forces a CORS
 * preflight this endpoint never answers). A cluster node also takes the cluster admin token (held mail from the
 * console and {@code sealgate mail held --cluster} on another host), checked against its digest in ZooKeeper.
 */
public final class AdminToken {
    public static final String FILE = "token";

    private final byte[] secret;
    /** The cluster admin token's SHA-256 from ZooKeeper (empty: no cluster, or no token yet). */
    private final Supplier<Optional<byte[]>> clusterDigest;

    private AdminToken(byte[] secret, Supplier<Optional<byte[]>> clusterDigest) {
        this.secret = secret;
        this.clusterDigest = clusterDigest;
    }

    /** This token, and also the cluster admin token whose digest {@code clusterDigest} gives (see ClusterAdminToken). */
    AdminToken withClusterDigest(Supplier<Optional<byte[]>> digest) {
        return new AdminToken(secret, digest);
    }

    /** Makes a new token and writes it into {@code directory} (created 0700), replacing an older one atomically. */
    public static AdminToken create(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path temporary = Files.createTempFile(directory, ".token", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, text + "\n", StandardCharsets.US_ASCII);
        Files.move(temporary, directory.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new AdminToken(text.getBytes(StandardCharsets.US_ASCII), Optional::empty);
    }

    /** Reads the token a running node wrote (the CLI's side). */
    public static String read(Path directory) throws IOException {
        return Files.readString(directory.resolve(FILE), StandardCharsets.US_ASCII).strip();
    }

    /** Whether an {@code Authorization} header carries this token; compared in constant time. */
    boolean authorizes(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
            return false;
        }
        String text = authorizationHeader.substring("Bearer ".length()).strip();
        boolean local = MessageDigest.isEqual(secret, text.getBytes(StandardCharsets.US_ASCII));
        // Both compared every time: how long it takes does not tell which one the caller had.
        Optional<byte[]> digest = clusterDigest.get();
        boolean cluster = digest.isPresent() && ClusterAdminToken.matches(digest.get(), text);
        return local | cluster;
    }
}
