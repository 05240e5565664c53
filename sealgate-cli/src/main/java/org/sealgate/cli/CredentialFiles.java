package org.sealgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.sealgate.zk.store.DigestCredentials;

/** Owner-only {@code user:password} files for ZooKeeper identities (demo, benchmark), random passwords. */
public final class CredentialFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CredentialFiles() {
    }

    /** Reads the identity's file, creating it (directory 0700, file 0600) with a random password if it is missing. */
    public static DigestCredentials readOrCreate(Path file, String user) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            byte[] secret = new byte[24];
            RANDOM.nextBytes(secret);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, user + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n",
                StandardCharsets.UTF_8);
        }
        return DigestCredentials.fromFile(file);
    }
}
