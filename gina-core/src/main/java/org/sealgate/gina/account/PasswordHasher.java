package org.sealgate.gina.account;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (Bouncy Castle) in the PHC string format, {@code $argon2id$v=19$m=65536,t=3,p=1$SALT$HASH}, so the
 * parameters travel with each hash and can be raised later without invalidating stored ones. The defaults
 * (64 MiB, 3 passes) are above OWASP's minimum for Argon2id. {@link #limited} bounds how many derivations run at
 * once (each holds its memory): past the limit a caller waits briefly, then gets {@link BusyException}.
 */
public final class PasswordHasher {
    /** 64 MiB, 3 iterations, 1 lane. */
    public static final PasswordHasher STRONG = new PasswordHasher(65_536, 3, 1);
    private static final Pattern PHC = Pattern.compile(
        "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final Optional<Semaphore> permits;
    private final Duration wait;

    /** More derivations at once than {@link #limited} allows, for longer than its wait. */
    public static final class BusyException extends RuntimeException {
        BusyException() {
            super("too many password checks at once", null, false, false);
        }
    }

    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        this(memoryKib, iterations, parallelism, Optional.empty(), Duration.ZERO);
    }

    private PasswordHasher(int memoryKib, int iterations, int parallelism, Optional<Semaphore> permits, Duration wait) {
        if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
            throw new IllegalArgumentException("invalid Argon2id parameters");
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.permits = permits;
        this.wait = wait;
    }

    /** The same parameters, at most {@code concurrent} derivations at once; others wait up to {@code wait}. */
    public PasswordHasher limited(int concurrent, Duration wait) {
        if (concurrent < 1) {
            throw new IllegalArgumentException("the Argon2 concurrency limit must be at least 1");
        }
        return new PasswordHasher(memoryKib, iterations, parallelism, Optional.of(new Semaphore(concurrent, true)), wait);
    }

    public String hash(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(secret, salt, memoryKib, iterations, parallelism);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
            + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Constant-time comparison; a malformed stored hash never matches. */
    public boolean verify(String secret, String stored) {
        Matcher m = PHC.matcher(stored == null ? "" : stored);
        if (!m.matches()) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(m.group(5));
        byte[] actual = derive(secret, b64.decode(m.group(4)), Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the same work as a real check, so an unknown address answers as slowly as a wrong password. */
    public void burn(String secret) {
        derive(secret, new byte[SALT_BYTES], memoryKib, iterations, parallelism);
    }

    private byte[] derive(String secret, byte[] salt, int m, int t, int p) {
        return derive(secret, salt, m, t, p, HASH_BYTES);
    }

    private byte[] derive(String secret, byte[] salt, int m, int t, int p, int length) {
        if (permits.isEmpty()) {
            return argon2(secret, salt, m, t, p, length);
        }
        try {
            if (!permits.get().tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BusyException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException();
        }
        try {
            return argon2(secret, salt, m, t, p, length);
        } finally {
            permits.get().release();
        }
    }

    private static byte[] argon2(String secret, byte[] salt, int m, int t, int p, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt).build());
        byte[] out = new byte[length];
        char[] chars = secret.toCharArray();
        try {
            generator.generateBytes(chars, out);
        } finally {
            Arrays.fill(chars, '\0');
        }
        return out;
    }

    @Override
    public String toString() {
        return "Argon2id(m=" + memoryKib + " KiB, t=" + iterations + ", p=" + parallelism + ")";
    }
}
