package org.sealgate.zk.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * A ZooKeeper digest identity ({@code user:password}) read from a file, so that the password never appears on
 * a command line or in a process list. {@link #toString()} hides the password: these objects end up in logs.
 */
public final class DigestCredentials {
    private final String user;
    private final String password;

    public DigestCredentials(String user, String password) {
        if (user.isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("a digest user name is non-empty and has no ':'");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("empty password for digest user " + user);
        }
        this.user = user;
        this.password = password;
    }

    /** Reads the first non-blank line of the file, {@code user:password}; the error never quotes the content. */
    public static DigestCredentials fromFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        int colon = lines.isEmpty() ? -1 : lines.get(0).indexOf(':');
        if (colon <= 0) {
            throw new IOException(file + ": expected one line 'user:password'");
        }
        return new DigestCredentials(lines.get(0).substring(0, colon), lines.get(0).substring(colon + 1));
    }

    public String user() {
        return user;
    }

    /** What {@code addAuthInfo("digest", ...)} takes. */
    public byte[] authBytes() {
        return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** The ACL identity ({@code digest}, {@code user:base64(sha1)}) that this login matches; safe to store. */
    public Id identity() {
        try {
            return new Id("digest", DigestAuthenticationProvider.generateDigest(user + ":" + password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return "digest user " + user + " (password hidden)";
    }
}
