package org.sealgate.crypto;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the JDK's AES-GCM encryption onto its CLMUL/AES-NI intrinsics before the first mail. HotSpot uses the GHASH
 * and AES-CTR intrinsics only inside C2-compiled code, and C2 compiles {@code GHASH.update} (the caller of the
 * intrinsic {@code processBlocks}) only after thousands of calls, later still while James's start fills the
 * compile queue (the thresholds grow with it). Until then GHASH runs as plain Java, ~30× slower: the decryption
 * warm-up does not help, its callers got compiled with GHASH inlined and the encryption callers stayed cold (seen
 * with {@code -XX:+PrintCompilation} in a node). This runs {@link AuthEnvelopedWriter#seal}, the method the mails
 * use, under a throwaway key until it runs at intrinsic speed or its bounds are reached, in a low-priority daemon
 * thread, and logs how it went. Nothing secret is involved and nothing is kept.
 */
final class GcmEncryptionWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(GcmEncryptionWarmUp.class);
    /** Upper bound of encryptions; at plain-Java speed about 2 s of CPU. */
    static final int MAX_ENCRYPTIONS = 20_000;
    static final long MAX_MILLIS = 60_000;
    static final int BATCH = 250;
    /**
     * After the count bound, a small batch every pause until the time bound: C2 compiles {@code seal} only when its
     * queue lets it (on an idle machine 20,000 encryptions took 1.8 s, before James's start had left the compiler
     * free), and checking costs well under a millisecond of CPU each time.
     */
    static final int CHECK_BATCH = 25;
    static final long CHECK_PAUSE_MILLIS = 250;
    /**
     * Faster than this (CPU time per byte) only on the intrinsics: the JDK's Java GHASH alone takes ~10 ns a byte,
     * AES-NI + CLMUL well under 1 ns.
     */
    static final double INTRINSIC_NANOS_PER_BYTE = 1.0;
    /** Sizes that end inside a block, so the partial-block paths are compiled too (no deoptimisation later). */
    private static final int[] SIZES = {8 * AuthEnvelopedWriter.PIECE + 100, 3 * AuthEnvelopedWriter.PIECE + 7,
        16 * AuthEnvelopedWriter.PIECE + 15};

    private static final byte[] HEAD = "Subject: warm-up\r\nContent-Type: application/octet-stream\r\n\r\n"
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** What a warm-up did. */
    record Result(int encryptions, int checks, int verified, long millis, double lastNanosPerByte,
                  boolean reachedIntrinsicSpeed) {
    }

    private GcmEncryptionWarmUp() {
    }

    /** Runs in a new low-priority daemon thread; returns at once. */
    static void start() {
        Thread thread = new Thread(() -> log(run(MAX_ENCRYPTIONS, MAX_MILLIS)), "sealgate-gcm-encrypt-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private static void log(Result result) {
        if (result.encryptions() == 0) {
            LOG.info("AES-GCM encryption warm-up skipped: no SunJCE AES-GCM here");
        } else {
            LOG.info("AES-GCM encryption warm-up: {} encryptions ({} late checks) in {} ms, last {} ns/byte CPU ({})",
                result.encryptions(), result.checks(), result.millis(), String.format("%.2f", result.lastNanosPerByte()),
                result.reachedIntrinsicSpeed() ? "at intrinsic speed" : "not at intrinsic speed within the bounds");
        }
    }

    /**
     * Encrypts in batches until a batch runs at intrinsic speed or {@code maxMillis} has passed; past
     * {@code maxEncryptions}, only a check batch per pause. The first encryption of each batch is decrypted again
     * and counted in {@code verified} when it round-trips.
     */
    static Result run(int maxEncryptions, long maxMillis) {
        long start = System.nanoTime();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            SecretKeySpec aes = new SecretKeySpec(key, "AES");
            byte[] plain = new byte[SIZES[SIZES.length - 1]];
            // Shaped as the mails' entities (a header block, then a body inside a larger message), so the branches
            // C2 compiles for are the ones the mails take; contents[i] is what entities[i] encrypts.
            byte[] message = new byte[HEAD.length + plain.length];
            System.arraycopy(HEAD, 0, message, 0, HEAD.length);
            OutgoingEntity[] entities = Arrays.stream(SIZES).mapToObj(size -> OutgoingEntity.of(
                List.of("Content-Type: application/octet-stream"), SerializedMessage.split(message, HEAD.length + size)))
                .toArray(OutgoingEntity[]::new);
            byte[][] contents = Arrays.stream(entities).map(OutgoingEntity::toArray).toArray(byte[][]::new);
            byte[] out = new byte[Arrays.stream(contents).mapToInt(c -> c.length).max().orElse(0)];
            byte[] nonce = new byte[12];
            int encryptions = 0;
            int checks = 0;
            int verified = 0;
            double nanosPerByte = Double.NaN;
            long deadline = start + maxMillis * 1_000_000;
            while (System.nanoTime() < deadline) {
                int batch;
                if (encryptions >= maxEncryptions) {
                    Thread.sleep(CHECK_PAUSE_MILLIS);
                    if (System.nanoTime() >= deadline) {
                        break;
                    }
                    batch = CHECK_BATCH;
                    checks++;
                } else {
                    batch = Math.min(BATCH, maxEncryptions - encryptions);
                }
                long batchStart = cpuTime ? threads.getCurrentThreadCpuTime() : System.nanoTime();
                long bytes = 0;
                for (int i = 0; i < batch; i++, encryptions++) {
                    byte[] content = contents[encryptions % contents.length];
                    // A fresh nonce per encryption: the JDK refuses to encrypt twice under one key and nonce.
                    nonce[0] = (byte) encryptions;
                    nonce[1] = (byte) (encryptions >>> 8);
                    nonce[2] = (byte) (encryptions >>> 16);
                    nonce[3] = (byte) (encryptions >>> 24);
                    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", BouncyCastle.bulkCipherProvider());
                    cipher.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
                    byte[] tag = AuthEnvelopedWriter.seal(cipher, entities[encryptions % entities.length], out, 0);
                    bytes += content.length;
                    if (i == 0 && roundTrips(aes, nonce, content, out, tag)) {
                        verified++;
                    }
                }
                long spent = (cpuTime ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - batchStart;
                nanosPerByte = (double) spent / bytes;
                if (nanosPerByte < INTRINSIC_NANOS_PER_BYTE) {
                    return new Result(encryptions, checks, verified, (System.nanoTime() - start) / 1_000_000,
                        nanosPerByte, true);
                }
            }
            return new Result(encryptions, checks, verified, (System.nanoTime() - start) / 1_000_000, nanosPerByte,
                false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(0, 0, 0, (System.nanoTime() - start) / 1_000_000, Double.NaN, false);
        } catch (GeneralSecurityException | RuntimeException e) {
            // No SunJCE AES-GCM: the mails use Bouncy Castle's instead, nothing to warm.
            return new Result(0, 0, 0, (System.nanoTime() - start) / 1_000_000, Double.NaN, false);
        }
    }

    private static boolean roundTrips(SecretKeySpec aes, byte[] nonce, byte[] content, byte[] ciphertext, byte[] tag)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", BouncyCastle.bulkCipherProvider());
        cipher.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
        byte[] sealed = Arrays.copyOf(ciphertext, content.length + tag.length);
        System.arraycopy(tag, 0, sealed, content.length, tag.length);
        byte[] plain = cipher.doFinal(sealed);
        return Arrays.equals(plain, content);
    }
}
