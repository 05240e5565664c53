package org.sealgate.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JDK's AES-GCM decryption compiled with its CLMUL/AES-NI intrinsics before the first mail. SunJCE's GCM
 * decryption hashes the whole ciphertext in one {@code GHASH.update} call at {@code doFinal}, so a node decrypting
 * 100 mails a second calls it 100 times a second, and the JIT compiles it (with the intrinsic) only after thousands
 * of mails: until then GHASH runs as plain Java, 20–35× slower, 40–50 % of a 100 KB decryption in the profile
 * (encryption has its own warm-up, {@link GcmEncryptionWarmUp}, started beside this one).
 * Thousands of tiny decryptions under a throwaway key, once per JVM in a low-priority daemon thread, make the same
 * calls. Nothing secret is involved and nothing is kept.
 */
final class GcmWarmUp {
    /** Past the JIT's C2 invocation threshold (5000) for the GHASH and counter-mode update paths. */
    static final int DECRYPTIONS = 6000;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private GcmWarmUp() {
    }

    /** Starts the warm-up once per JVM; returns at once. */
    static void startOnce() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(GcmWarmUp::run, "sealgate-gcm-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        GcmEncryptionWarmUp.start();
    }

    /** The decryptions themselves, the way {@link JdkContentDecryptor} calls the cipher; returns how many verified. */
    static int run() {
        try {
            byte[] key = new byte[32];
            byte[] nonce = new byte[12];
            new SecureRandom().nextBytes(key);
            SecretKeySpec aes = new SecretKeySpec(key, "AES");
            Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding", BouncyCastle.bulkCipherProvider());
            encrypt.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
            encrypt.updateAAD(new byte[16]);
            byte[] sealed = encrypt.doFinal(new byte[64]);
            byte[] ciphertext = java.util.Arrays.copyOf(sealed, sealed.length - 16);
            byte[] tag = java.util.Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length);
            int verified = 0;
            for (int i = 0; i < DECRYPTIONS; i++) {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", BouncyCastle.bulkCipherProvider());
                cipher.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
                cipher.updateAAD(new byte[16]);
                byte[] plain = JdkContentDecryptor.gcmDecrypt(cipher, ciphertext, tag);
                verified += plain.length == 64 ? 1 : 0;
            }
            return verified;
        } catch (GeneralSecurityException | RuntimeException e) {
            // No SunJCE GCM here: JdkContentDecryptor is not used either, so there is nothing to warm.
            return 0;
        }
    }
}
