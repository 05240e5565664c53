package org.sealgate.gina.account;

import java.security.SecureRandom;

/**
 * First passwords: 16 characters (about 80 bits) from an alphabet without look-alikes (no 0/O, 1/l/I), grouped
 * by four with dashes, so that a sender can read one out over the phone.
 */
public final class FirstPasswords {
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479";
    private static final SecureRandom RANDOM = new SecureRandom();

    private FirstPasswords() {
    }

    public static String generate() {
        StringBuilder out = new StringBuilder(19);
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                out.append('-');
            }
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
