package org.sealgate.gina.container;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.sealgate.gina.key.KeyRing;

/**
 * Seals a MIME message into a {@link GinaContainer} and opens it again. AES-256-GCM under a fresh content key;
 * the content key is wrapped (AES-256-GCM) with the ring's current key; both operations authenticate the header
 * (key id, recipient, message id, time). The JDK's GCM decryption releases nothing before the tag verifies, so
 * a changed container yields {@link ContainerFailure#INTEGRITY} and no partial plaintext.
 */
public final class ContainerCrypto {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int ENCRYPT_CHUNK = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * One cipher object per thread, initialised afresh (key, nonce, mode) for every use: {@code Cipher.getInstance}'s
     * provider look-up, twice per carrier, cost more than sealing the wrapped key. init replaces all state.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is available on every Java 17 platform", e);
        }
    });

    private final Clock clock;

    public ContainerCrypto(Clock clock) {
        this.clock = clock;
    }

    public ContainerCrypto() {
        this(Clock.systemUTC());
    }

    public GinaContainer seal(byte[] mime, String recipient, String messageId, KeyRing ring) {
        byte[] contentKey = KeyRing.randomKey();
        try {
            GinaContainer header = new GinaContainer(GinaContainer.VERSION_1, ring.currentId(),
                Addresses.normalise(recipient), messageId, clock.instant().truncatedTo(ChronoUnit.SECONDS),
                nonce(), null, nonce(), null);
            byte[] aad = header.header();
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, ring.currentKey(), header.wrapNonce(), aad, contentKey);
            byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(contentKey, "AES"), header.contentNonce(), aad, mime);
            return new GinaContainer(header.version(), header.keyId(), header.recipient(), header.messageId(),
                header.sealedAt(), header.wrapNonce(), wrapped, header.contentNonce(), ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is available on every Java 17 platform", e);
        } finally {
            Arrays.fill(contentKey, (byte) 0);
        }
    }

    /**
     * Proves the container's header (key id, recipient, message id, time) was sealed with the cluster key: the
     * wrapped content key is AES-GCM over the header, so unwrapping it checks the header's tag. Cheap (48 bytes);
     * the portal calls it before it looks up any account, so a forged container touches none.
     */
    public void authenticate(GinaContainer container, KeyRing ring) throws ContainerException {
        Arrays.fill(unwrap(container, ring), (byte) 0);
    }

    /**
     * The original MIME bytes, or a {@link ContainerException} naming why not. The recipient check comes first
     * (a clear refusal rather than an integrity error), then the key id, then both GCM tags.
     */
    public byte[] open(GinaContainer container, String expectedRecipient, KeyRing ring) throws ContainerException {
        if (!container.recipient().equals(Addresses.normalise(expectedRecipient))) {
            throw new ContainerException(ContainerFailure.WRONG_RECIPIENT, "this message was sent to another address");
        }
        byte[] contentKey = unwrap(container, ring);
        try {
            return gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(contentKey, "AES"), container.contentNonce(),
                container.header(), container.ciphertext());
        } catch (AEADBadTagException e) {
            throw new ContainerException(ContainerFailure.INTEGRITY,
                "the message failed its integrity check: it was changed after sealing");
        } catch (GeneralSecurityException e) {
            throw new ContainerException(ContainerFailure.MALFORMED, "the container could not be decrypted");
        } finally {
            Arrays.fill(contentKey, (byte) 0);
        }
    }

    private static byte[] unwrap(GinaContainer container, KeyRing ring) throws ContainerException {
        KeyRing.Lookup lookup = ring.lookup(container.keyId());
        switch (lookup.result()) {
            case RETIRED -> throw new ContainerException(ContainerFailure.RETIRED_KEY,
                "this message was sealed under key '" + container.keyId() + "', which has been retired");
            case UNKNOWN -> throw new ContainerException(ContainerFailure.UNKNOWN_KEY,
                "this message was sealed under key '" + container.keyId() + "', which this portal does not know");
            case FOUND -> { }
        }
        if (container.wrapNonce().length != NONCE_BYTES || container.contentNonce().length != NONCE_BYTES) {
            throw new ContainerException(ContainerFailure.MALFORMED, "the container's nonces have the wrong length");
        }
        byte[] contentKey;
        try {
            contentKey = gcm(Cipher.DECRYPT_MODE, lookup.key().orElseThrow(), container.wrapNonce(), container.header(),
                container.wrappedKey());
        } catch (AEADBadTagException e) {
            throw new ContainerException(ContainerFailure.INTEGRITY,
                "the message failed its integrity check: it was changed after sealing");
        } catch (GeneralSecurityException e) {
            throw new ContainerException(ContainerFailure.MALFORMED, "the container could not be decrypted");
        }
        if (contentKey.length != KeyRing.KEY_BYTES) {
            Arrays.fill(contentKey, (byte) 0);
            throw new ContainerException(ContainerFailure.MALFORMED, "the wrapped content key has the wrong length");
        }
        return contentKey;
    }

    private static byte[] gcm(int mode, SecretKey key, byte[] nonce, byte[] aad, byte[] input) throws GeneralSecurityException {
        Cipher cipher = CIPHERS.get();
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        if (mode == Cipher.DECRYPT_MODE) {
            return cipher.doFinal(input);
        }
        // Encrypt in 1 KB pieces: the JDK's AES-NI/CLMUL GCM code is used only once the update path is C2-compiled,
        // which the JIT decides by call counts: one large call per message gets there only after thousands.
        byte[] output = new byte[cipher.getOutputSize(input.length)];
        int written = 0;
        for (int offset = 0; offset < input.length; offset += ENCRYPT_CHUNK) {
            written += cipher.update(input, offset, Math.min(ENCRYPT_CHUNK, input.length - offset), output, written);
        }
        written += cipher.doFinal(output, written);
        return written == output.length ? output : Arrays.copyOf(output, written);
    }

    private static byte[] nonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }
}
