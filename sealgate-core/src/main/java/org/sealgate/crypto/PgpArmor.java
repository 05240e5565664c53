package org.sealgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.bouncycastle.openpgp.PGPUtil;

/**
 * ASCII armor (RFC 9580 §6.2) done in bulk. Bouncy Castle's ArmoredOutputStream and ArmoredInputStream work a byte
 * at a time and were the largest cost left in a profile of 1 MB mails once the AES ran on the JDK. Output has the
 * CRC-24 line (optional in RFC 9580: GnuPG 2.2 misreads the END line of armor without it) and CRLF line ends, as the
 * PGP/MIME part carries them. Both directions work on the bytes where they lie: armor is written straight into the
 * caller's array, and plain armor is decoded from a range of the mail without a String or a copy per line.
 */
final class PgpArmor {
    private static final byte[] BEGIN_LINE = "-----BEGIN PGP MESSAGE-----".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_LINE = "-----END PGP MESSAGE-----".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BEGIN = "-----BEGIN PGP MESSAGE-----\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "-----END PGP MESSAGE-----\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        .getBytes(StandardCharsets.US_ASCII);
    /** Base64 value of each octet, -1 for anything outside the alphabet ('=' included). */
    private static final int[] VALUE = new int[256];
    /** Input bytes per armor line: 64 characters. */
    private static final int LINE_BYTES = 48;
    private static final int CHECKSUM_LINE = 7;
    private static final Base64.Decoder MIME_DECODER = Base64.getMimeDecoder();
    /** CRC-24 (RFC 9580 §6.1.1) slicing-by-4 tables, the 24-bit register kept in the top of an int. */
    private static final int[][] CRC = new int[4][256];
    private static final int CRC_INIT = 0xB704CE << 8;
    private static final int CRC_POLY = 0x864CFB << 8;

    static {
        java.util.Arrays.fill(VALUE, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUE[ALPHABET[i]] = i;
        }
        for (int i = 0; i < 256; i++) {
            int crc = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc << 1) ^ (crc < 0 ? CRC_POLY : 0);
            }
            CRC[0][i] = crc;
        }
        for (int t = 1; t < 4; t++) {
            for (int i = 0; i < 256; i++) {
                int previous = CRC[t - 1][i];
                CRC[t][i] = (previous << 8) ^ CRC[0][previous >>> 24];
            }
        }
    }

    private PgpArmor() {
    }

    /** The armored message, lines of 64 characters, ending with CRLF after the END line. */
    static byte[] armor(byte[] binary) {
        byte[] out = new byte[armoredLength(binary.length)];
        armorInto(binary, 0, binary.length, out, 0);
        return out;
    }

    /** The exact length {@link #armorInto} writes for that many binary bytes. */
    static int armoredLength(int binaryLength) {
        int characters = 4 * ((binaryLength + 2) / 3);
        int lines = (characters + 63) / 64;
        return BEGIN.length + characters + 2 * lines + CHECKSUM_LINE + END.length;
    }

    /** Writes the armor of {@code binary[from, to)} into {@code out} at {@code at}; returns the index after it. */
    static int armorInto(byte[] binary, int from, int to, byte[] out, int at) {
        System.arraycopy(BEGIN, 0, out, at, BEGIN.length);
        at += BEGIN.length;
        int i = from;
        while (i < to) {
            int lineEnd = Math.min(i + LINE_BYTES, to);
            for (; i + 3 <= lineEnd; i += 3) {
                int v = (binary[i] & 0xff) << 16 | (binary[i + 1] & 0xff) << 8 | binary[i + 2] & 0xff;
                out[at] = ALPHABET[v >>> 18];
                out[at + 1] = ALPHABET[(v >>> 12) & 63];
                out[at + 2] = ALPHABET[(v >>> 6) & 63];
                out[at + 3] = ALPHABET[v & 63];
                at += 4;
            }
            if (i < lineEnd) {
                // One or two bytes left: only at the very end, as a line holds a multiple of three.
                boolean two = lineEnd - i == 2;
                int v = (binary[i] & 0xff) << 16 | (two ? (binary[i + 1] & 0xff) << 8 : 0);
                out[at] = ALPHABET[v >>> 18];
                out[at + 1] = ALPHABET[(v >>> 12) & 63];
                out[at + 2] = two ? ALPHABET[(v >>> 6) & 63] : (byte) '=';
                out[at + 3] = '=';
                at += 4;
                i = lineEnd;
            }
            out[at++] = '\r';
            out[at++] = '\n';
        }
        int crc = crc24(binary, from, to);
        out[at++] = '=';
        out[at++] = ALPHABET[crc >>> 18];
        out[at++] = ALPHABET[(crc >>> 12) & 63];
        out[at++] = ALPHABET[(crc >>> 6) & 63];
        out[at++] = ALPHABET[crc & 63];
        out[at++] = '\r';
        out[at++] = '\n';
        System.arraycopy(END, 0, out, at, END.length);
        return at + END.length;
    }

    static byte[] binary(byte[] data) throws IOException {
        return binary(ByteSlice.of(data));
    }

    /**
     * The binary packets of an armored (or already binary) message. Plain armor as GnuPG and we write it (BEGIN PGP
     * MESSAGE, no header lines, Base64 lines, optional checksum, END) is checked strictly in place (what the JDK's
     * strict Base64 decoder refuses is not plain armor) and decoded into one array, its checksum checked when present; anything else (binary
     * data, armor headers, other block types, stray characters, text after the END line) goes through Bouncy
     * Castle's armor parser as before.
     *
     * @throws IOException when the data is garbled or its armor checksum does not match
     */
    static byte[] binary(ByteSlice data) throws IOException {
        byte[] decoded = plainArmor(data.bytes(), data.from(), data.to());
        if (decoded != null) {
            return decoded;
        }
        try (InputStream stream = PGPUtil.getDecoderStream(new ByteArrayInputStream(data.bytes(), data.from(), data.length()))) {
            return stream.readAllBytes();
        }
    }

    /** The decoded packets of plain armor, or null when the data is not plain armor (the caller falls back). */
    private static byte[] plainArmor(byte[] data, int from, int to) throws IOException {
        Lines lines = new Lines(data, from, to);
        boolean more = lines.advance();
        while (more && lines.blank()) {
            more = lines.advance();
        }
        if (!more || !lines.is(BEGIN_LINE) || !lines.advance() || lines.length() != 0) {
            return null;
        }
        // First pass: the shape, the alphabet and the padding checked, the characters counted; nothing copied.
        int base64From = -1;
        int base64To = -1;
        int characters = 0;
        int padding = 0;
        int checksumAt = -1;
        boolean ended = false;
        while (lines.advance()) {
            if (lines.startsWithDashes()) {
                ended = lines.is(END_LINE);
                break;
            }
            if (checksumAt >= 0 || lines.length() > 76) {
                return null;
            }
            if (lines.length() == 5 && data[lines.start] == '=') {
                checksumAt = lines.start + 1;
                continue;
            }
            if (base64From < 0) {
                base64From = lines.start;
            }
            base64To = lines.stop;
            for (int i = lines.start; i < lines.stop; i++) {
                byte c = data[i];
                if (c == '=') {
                    padding++;
                } else if (VALUE[c & 0xff] < 0 || padding > 0) {
                    // Outside the alphabet, or data after padding.
                    return null;
                } else {
                    characters++;
                }
            }
        }
        if (!ended || characters + padding == 0) {
            return null;
        }
        while (lines.advance()) {
            if (!lines.blank()) {
                return null;
            }
        }
        int rest = characters % 4;
        if (rest == 1 || padding > 0 && padding != 4 - rest || rest == 0 && padding > 0) {
            return null;
        }
        int checksum = 0;
        if (checksumAt >= 0) {
            for (int i = checksumAt; i < checksumAt + 4; i++) {
                int v = VALUE[data[i] & 0xff];
                if (v < 0) {
                    return null;
                }
                checksum = checksum << 6 | v;
            }
        }
        byte[] binary = decode(data, base64From, base64To);
        if (binary.length != characters / 4 * 3 + (rest == 0 ? 0 : rest - 1)) {
            return null;
        }
        if (checksumAt >= 0 && checksum != crc24(binary, 0, binary.length)) {
            throw new IOException("armor checksum mismatch");
        }
        return binary;
    }

    /**
     * Second pass: the checked range holds only alphabet characters, CR, LF and the final padding, so the JDK's MIME
     * decoder (which would skip anything else) decodes it exactly, in place and with its vector intrinsic.
     */
    private static byte[] decode(byte[] data, int from, int to) {
        ByteBuffer decoded = MIME_DECODER.decode(ByteBuffer.wrap(data, from, to - from));
        byte[] array = decoded.array();
        return decoded.arrayOffset() == 0 && decoded.position() == 0 && decoded.limit() == array.length
            ? array : java.util.Arrays.copyOfRange(array, decoded.arrayOffset() + decoded.position(), decoded.arrayOffset() + decoded.limit());
    }

    /** CRC-24 of RFC 9580 §6.1.1 over {@code data[from, to)}, four bytes per step. */
    static int crc24(byte[] data, int from, int to) {
        int[] t0 = CRC[0];
        int[] t1 = CRC[1];
        int[] t2 = CRC[2];
        int[] t3 = CRC[3];
        int crc = CRC_INIT;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            int c = crc ^ ((data[i] & 0xff) << 24 | (data[i + 1] & 0xff) << 16 | (data[i + 2] & 0xff) << 8 | data[i + 3] & 0xff);
            crc = t3[c >>> 24] ^ t2[(c >>> 16) & 0xff] ^ t1[(c >>> 8) & 0xff] ^ t0[c & 0xff];
        }
        for (; i < to; i++) {
            crc = (crc << 8) ^ t0[((crc >>> 24) ^ data[i]) & 0xff];
        }
        return crc >>> 8;
    }

    /** ASCII lines of a range, without their CR LF or LF, as indexes into the data. */
    private static final class Lines {
        private final byte[] data;
        private final int to;
        private int next;
        int start;
        int stop;

        Lines(byte[] data, int from, int to) {
            this.data = data;
            this.to = to;
            this.next = from;
        }

        boolean advance() {
            if (next >= to) {
                return false;
            }
            start = next;
            int end = start;
            while (end < to && data[end] != '\n') {
                end++;
            }
            stop = end > start && data[end - 1] == '\r' ? end - 1 : end;
            next = end + 1;
            return true;
        }

        int length() {
            return stop - start;
        }

        boolean is(byte[] literal) {
            return java.util.Arrays.equals(data, start, stop, literal, 0, literal.length);
        }

        boolean startsWithDashes() {
            return length() >= 5 && data[start] == '-' && data[start + 1] == '-' && data[start + 2] == '-'
                && data[start + 3] == '-' && data[start + 4] == '-';
        }

        /** As String#isBlank on these octets read as ISO-8859-1. */
        boolean blank() {
            for (int i = start; i < stop; i++) {
                if (!Character.isWhitespace((char) (data[i] & 0xff))) {
                    return false;
                }
            }
            return true;
        }
    }
}
