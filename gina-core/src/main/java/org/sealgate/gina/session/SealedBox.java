package org.sealgate.gina.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import org.sealgate.gina.key.KeyRing;

/**
 * Small values sealed with a cluster key ring (AES-256-GCM), as base64url text: any node holding the ring can
 * open what any other node sealed, so nothing needs server-side state. The purpose string is authenticated
 * data, so a value sealed for one purpose (a session) is refused for another (a form token).
 * Layout: {@code 0x01 | len | keyId | nonce(12) | ciphertext+tag}.
 */
public final class SealedBox {
    private static final int VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int MAX_TEXT = 16 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyRing ring;
    private final String purpose;

    public SealedBox(KeyRing ring, String purpose) {
        this.ring = ring;
        this.purpose = purpose;
    }

    public String seal(byte[] plaintext) {
        byte[] keyId = ring.currentId().getBytes(StandardCharsets.US_ASCII);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, ring.currentKey(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(keyId));
            byte[] ciphertext = cipher.doFinal(plaintext);
            ByteBuffer out = ByteBuffer.allocate(2 + keyId.length + NONCE_BYTES + ciphertext.length);
            out.put((byte) VERSION).put((byte) keyId.length).put(keyId).put(nonce).put(ciphertext);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is available on every Java 17 platform", e);
        }
    }

    /** The plaintext, or {@link InvalidSealException} for anything forged, changed, truncated or sealed elsewhere. */
    public byte[] open(String text) throws InvalidSealException {
        if (text == null || text.isEmpty() || text.length() > MAX_TEXT) {
            throw new InvalidSealException("missing or oversized sealed value");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text));
            if ((in.get() & 0xff) != VERSION) {
                throw new InvalidSealException("unknown sealed value version");
            }
            byte[] keyId = new byte[in.get() & 0xff];
            in.get(keyId);
            byte[] nonce = new byte[NONCE_BYTES];
            in.get(nonce);
            byte[] ciphertext = new byte[in.remaining()];
            in.get(ciphertext);
            KeyRing.Lookup lookup = ring.lookup(new String(keyId, StandardCharsets.US_ASCII));
            if (lookup.key().isEmpty()) {
                throw new InvalidSealException("sealed under a key this node does not accept (" + lookup.result() + ")");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, lookup.key().get(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(keyId));
            return cipher.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new InvalidSealException("sealed value failed its integrity check");
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException | GeneralSecurityException e) {
            throw new InvalidSealException("garbled sealed value");
        }
    }

    private byte[] aad(byte[] keyId) {
        byte[] p = ("sealgate-gina/" + purpose + "/").getBytes(StandardCharsets.UTF_8);
        byte[] aad = Arrays.copyOf(p, p.length + keyId.length);
        System.arraycopy(keyId, 0, aad, p.length, keyId.length);
        return aad;
    }
}
