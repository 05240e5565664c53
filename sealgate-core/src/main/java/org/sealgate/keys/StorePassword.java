package org.sealgate.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The password protecting the PKCS#12 files of a key directory, kept in {@code <keys>/.store-password} (0600).
 * The first process to need it creates it; every later process reads the same one.
 */
final class StorePassword {
    static final String FILE_NAME = ".store-password";
    private static final int RANDOM_BYTES = 32;

    private StorePassword() {
    }

    static char[] loadOrCreate(Path keysDir) {
        return loadOrCreateFile(keysDir.resolve(FILE_NAME));
    }

    /** The same for a secret kept in any file (its directory is made owner-only), e.g. DATA/secrets/pgp-keys.passphrase. */
    static char[] loadOrCreateFile(Path file) {
        PrivateFiles.ownerOnlyDirectory(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            byte[] random = new byte[RANDOM_BYTES];
            new SecureRandom().nextBytes(random);
            byte[] encoded = Base64.getEncoder().encode(random);
            Arrays.fill(random, (byte) 0);
            try {
                // If another process won the race we silently use its password instead of ours.
                PrivateFiles.createAtomically(file, encoded);
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
        }
        PrivateFiles.restrictToOwner(file);
        return read(file);
    }

    private static char[] read(Path file) {
        byte[] bytes = null;
        try {
            bytes = Files.readAllBytes(file);
            char[] password = decode(bytes);
            if (password.length == 0) {
                throw new IllegalStateException("store password file " + file + " is empty");
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read store password file " + file, e);
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /** UTF-8 to chars without an intermediate String, which could not be wiped; trailing white space dropped. */
    private static char[] decode(byte[] bytes) {
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        int length = chars.limit();
        while (length > 0 && Character.isWhitespace(chars.get(length - 1))) {
            length--;
        }
        char[] password = new char[length];
        chars.get(password, 0, length);
        Arrays.fill(chars.array(), '\0');
        return password;
    }
}
