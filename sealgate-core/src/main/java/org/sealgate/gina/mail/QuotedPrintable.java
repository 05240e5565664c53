package org.sealgate.gina.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Quoted-printable (RFC 2045 §6.7) for text whose lines are mostly short and plain already, like the secure-message
 * page: such a line is copied as it is, any other is encoded byte by byte with soft line breaks. CRLF is the only
 * line break; a lone CR or LF is encoded ({@code =0D}, {@code =0A}), so decoding gives back the very bytes. A range
 * the caller vouches for (short plain lines between CRLFs: the page's container) is copied without a look.
 */
final class QuotedPrintable {
    /** Longest encoded line, the soft break's {@code =} included. */
    static final int MAX_LINE = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private QuotedPrintable() {
    }

    static byte[] encode(byte[] text) {
        return encode(text, 0, 0);
    }

    /**
     * @param plainFrom start of a range that is already quoted-printable as it is: lines of at most {@link #MAX_LINE}
     *                  literal characters, not ending in white space, the range starting and ending with CRLF
     *                  (or empty)
     * @param plainTo   end of that range (exclusive)
     */
    static byte[] encode(byte[] text, int plainFrom, int plainTo) {
        byte[] head = encodeRange(text, 0, plainFrom == plainTo ? text.length : plainFrom);
        if (plainFrom == plainTo) {
            return head;
        }
        byte[] tail = encodeRange(text, plainTo, text.length);
        byte[] out = Arrays.copyOf(head, head.length + (plainTo - plainFrom) + tail.length);
        System.arraycopy(text, plainFrom, out, head.length, plainTo - plainFrom);
        System.arraycopy(tail, 0, out, head.length + plainTo - plainFrom, tail.length);
        return out;
    }

    /** Encodes {@code [from, to)}, a CRLF at its end staying a line break. */
    private static byte[] encodeRange(byte[] text, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from + (to - from) / 16 + 64);
        int start = from;
        while (start <= to) {
            int end = crlfAt(text, start, to);
            int lineEnd = end < 0 ? to : end;
            if (lineEnd - start <= MAX_LINE && plain(text, start, lineEnd)) {
                out.write(text, start, lineEnd - start);
            } else {
                encodeLine(text, start, lineEnd, out);
            }
            if (end < 0) {
                break;
            }
            out.write('\r');
            out.write('\n');
            start = end + 2;
        }
        return out.toByteArray();
    }

    private static int crlfAt(byte[] text, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (text[i] == '\r' && text[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Every byte stands for itself, and the line does not end in white space (a relay may strip it). */
    private static boolean plain(byte[] text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!literal(text[i])) {
                return false;
            }
        }
        return end == start || (text[end - 1] != ' ' && text[end - 1] != '\t');
    }

    private static boolean literal(byte b) {
        return (b >= 33 && b <= 126 && b != '=') || b == ' ' || b == '\t';
    }

    private static void encodeLine(byte[] text, int start, int end, ByteArrayOutputStream out) {
        int column = 0;
        for (int i = start; i < end; i++) {
            byte b = text[i];
            boolean last = i == end - 1;
            boolean asIs = literal(b) && !(last && (b == ' ' || b == '\t'));
            int width = asIs ? 1 : 3;
            // Room for the token and, unless it ends the line, a soft break after it.
            if (column + width > (last ? MAX_LINE : MAX_LINE - 1)) {
                out.write('=');
                out.write('\r');
                out.write('\n');
                column = 0;
            }
            if (asIs) {
                out.write(b);
            } else {
                out.write('=');
                out.write(HEX[(b >> 4) & 0xf]);
                out.write(HEX[b & 0xf]);
            }
            column += width;
        }
    }
}
