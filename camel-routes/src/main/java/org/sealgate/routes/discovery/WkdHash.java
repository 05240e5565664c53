package org.sealgate.routes.discovery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The WKD hashed local part (draft-koch-openpgp-webkey-service): z-base-32 of the SHA-1 of the local part with
 * ASCII upper case mapped to lower case. SHA-1 here is only a file name, not a security function.
 */
final class WkdHash {
    private static final char[] ZBASE32 = "ybndrfg8ejkmcpqxot1uwisza345h769".toCharArray();

    private WkdHash() {
    }

    static String of(String localPart) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                .digest(localPart.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return zBase32(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    /** Most significant bit first, 5 bits per character; 160 bits give exactly 32 characters. */
    static String zBase32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ZBASE32[(buffer >> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ZBASE32[(buffer << (5 - bits)) & 0x1f]);
        }
        return out.toString();
    }
}
