package org.sealgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.bouncycastle.bcpg.FastCRC24;
import org.bouncycastle.openpgp.PGPUtil;

/**
 * ASCII armor (RFC 9580 §6.2) done in bulk. Bouncy Castle's ArmoredOutputStream and ArmoredInputStream work a byte
 * at a time and were the largest cost left in a profile of 1 MB mails once the AES ran on the JDK; the JDK's Base64
 * does the same in one pass. Output has the CRC-24 line (optional in RFC 9580: GnuPG 2.2 misreads the END line of
 * armor without it) and CRLF line ends, as the PGP/MIME part carries them.
 */
final class PgpArmor {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final Base64.Encoder LINES = Base64.getMimeEncoder(64, CRLF);
    private static final byte[] BEGIN = "-----BEGIN PGP MESSAGE-----\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "-----END PGP MESSAGE-----\r\n".getBytes(StandardCharsets.US_ASCII);

    private PgpArmor() {
    }

    /** The armored message, lines of 64 characters, ending with CRLF after the END line. */
    static byte[] armor(byte[] binary) {
        byte[] body = LINES.encode(binary);
        byte[] checksum = ("=" + Base64.getEncoder().encodeToString(crc24(binary)) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[BEGIN.length + body.length + CRLF.length + checksum.length + END.length];
        int at = 0;
        System.arraycopy(BEGIN, 0, out, at, BEGIN.length);
        at += BEGIN.length;
        System.arraycopy(body, 0, out, at, body.length);
        at += body.length;
        if (body.length > 0) {
            System.arraycopy(CRLF, 0, out, at, CRLF.length);
            at += CRLF.length;
        }
        System.arraycopy(checksum, 0, out, at, checksum.length);
        at += checksum.length;
        System.arraycopy(END, 0, out, at, END.length);
        at += END.length;
        return at == out.length ? out : java.util.Arrays.copyOf(out, at);
    }

    /**
     * The binary packets of an armored (or already binary) message, decoded once by Bouncy Castle's armor parser,
     * so the packets are not read through it twice (recipients first, then the decryption).
     */
    static byte[] binary(byte[] data) throws IOException {
        try (InputStream decoded = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
            return decoded.readAllBytes();
        }
    }

    private static byte[] crc24(byte[] data) {
        FastCRC24 crc = new FastCRC24();
        for (byte b : data) {
            crc.update(b & 0xff);
        }
        int value = crc.getValue();
        return new byte[] {(byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }
}
