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
     * The binary packets of an armored (or already binary) message. Plain armor as GnuPG and we write it (BEGIN PGP
     * MESSAGE, no header lines, Base64 lines, optional checksum, END) is decoded in one pass by the JDK's strict
     * Base64 decoder, its checksum checked when present; anything else (binary data, armor headers, other block
     * types, stray characters, text after the END line) goes through Bouncy Castle's armor parser as before.
     *
     * @throws IOException when the data is garbled or its armor checksum does not match
     */
    static byte[] binary(byte[] data) throws IOException {
        byte[] decoded = plainArmor(data);
        if (decoded != null) {
            return decoded;
        }
        try (InputStream stream = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
            return stream.readAllBytes();
        }
    }

    /** The decoded packets of plain armor, or null when the data is not plain armor (the caller falls back). */
    private static byte[] plainArmor(byte[] data) throws IOException {
        Lines lines = new Lines(data);
        String first = lines.next();
        while (first != null && first.isBlank()) {
            first = lines.next();
        }
        if (!"-----BEGIN PGP MESSAGE-----".equals(first) || !"".equals(lines.next())) {
            return null;
        }
        byte[] base64 = new byte[data.length];
        int length = 0;
        String checksum = null;
        String line;
        while ((line = lines.next()) != null && !line.startsWith("-----")) {
            if (checksum != null || line.length() > 76) {
                return null;
            }
            if (line.length() == 5 && line.charAt(0) == '=') {
                checksum = line.substring(1);
                continue;
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=')) {
                    return null;
                }
                base64[length++] = (byte) c;
            }
        }
        if (!"-----END PGP MESSAGE-----".equals(line) || length == 0) {
            return null;
        }
        while ((line = lines.next()) != null) {
            if (!line.isBlank()) {
                return null;
            }
        }
        byte[] binary;
        try {
            binary = Base64.getDecoder().decode(java.util.Arrays.copyOf(base64, length));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (checksum != null) {
            byte[] expected;
            try {
                expected = Base64.getDecoder().decode(checksum);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (!java.util.Arrays.equals(expected, crc24(binary))) {
                throw new IOException("armor checksum mismatch");
            }
        }
        return binary;
    }

    /** ASCII lines without their CR LF or LF; null at the end. Only used on armor, which is ASCII. */
    private static final class Lines {
        private final byte[] data;
        private int at;

        Lines(byte[] data) {
            this.data = data;
        }

        String next() {
            if (at >= data.length) {
                return null;
            }
            int end = at;
            while (end < data.length && data[end] != '\n') {
                end++;
            }
            int stop = end > at && data[end - 1] == '\r' ? end - 1 : end;
            String line = new String(data, at, stop - at, StandardCharsets.ISO_8859_1);
            at = end + 1;
            return line;
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
