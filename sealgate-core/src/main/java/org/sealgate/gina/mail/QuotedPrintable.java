package org.sealgate.gina.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Quoted-printable (RFC 2045 §6.7), for the secure-message page: CRLF is the only line break (a lone CR or LF is
 * encoded, {@code =0D}, {@code =0A}, so decoding gives back the very bytes), lines longer than {@value #MAX_LINE}
 * get soft line breaks. A range the caller vouches for (literal characters only, no white space: the page's
 * container, most of it) is copied in pieces between the soft breaks without a look at each byte.
 */
final class QuotedPrintable {
    /** Longest encoded line, the soft break's {@code =} included. */
    static final int MAX_LINE = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOFT_BREAK = {'=', '\r', '\n'};

    private QuotedPrintable() {
    }

    static byte[] encode(byte[] text) {
        return encode(text, 0, 0);
    }

    /**
     * @param literalFrom start of a run of characters that stand for themselves ({@code !} to {@code ~} but
     *                    {@code =}): no white space, no line break
     * @param literalTo   end of that run (exclusive); equal to {@code literalFrom} for none
     */
    static byte[] encode(byte[] text, int literalFrom, int literalTo) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + text.length / 24 + 256);
        encode(text, literalFrom, literalTo, out);
        return out.toByteArray();
    }

    /** As {@link #encode(byte[], int, int)}, appended to {@code out}. */
    static void encode(byte[] text, int literalFrom, int literalTo, ByteArrayOutputStream out) {
        int column = 0;
        int i = 0;
        while (i < text.length) {
            if (i == literalFrom && literalTo > literalFrom) {
                column = copyLiteralRun(text, i, literalTo, lineEndsAt(text, literalTo), column, out);
                i = literalTo;
            } else if (lineEndsAt(text, i)) {
                out.write('\r');
                out.write('\n');
                column = 0;
                i += 2;
            } else {
                column = encodeByte(text[i], lineEndsAt(text, i + 1), column, out);
                i++;
            }
        }
    }

    /** True when a CRLF starts at {@code i}, or the text ends there. */
    private static boolean lineEndsAt(byte[] text, int i) {
        return i == text.length || (text[i] == '\r' && i + 1 < text.length && text[i + 1] == '\n');
    }

    /** One byte, after a soft break if it would not fit; returns the new column. */
    private static int encodeByte(byte b, boolean lastOnLine, int column, ByteArrayOutputStream out) {
        // White space at a line's end is encoded: a relay may strip it.
        boolean asIs = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !lastOnLine);
        int width = asIs ? 1 : 3;
        // Room for the token and, unless it ends the line, a soft break after it.
        if (column + width > (lastOnLine ? MAX_LINE : MAX_LINE - 1)) {
            out.write(SOFT_BREAK, 0, SOFT_BREAK.length);
            column = 0;
        }
        if (asIs) {
            out.write(b);
        } else {
            out.write('=');
            out.write(HEX[(b >> 4) & 0xf]);
            out.write(HEX[b & 0xf]);
        }
        return column + width;
    }

    /** The run {@code [from, to)} of literal characters, cut exactly where {@link #encodeByte} would cut it. */
    private static int copyLiteralRun(byte[] text, int from, int to, boolean endsLine, int column,
                                      ByteArrayOutputStream out) {
        int i = from;
        while (i < to) {
            int room = MAX_LINE - 1 - column;
            int left = to - i;
            if (left <= room || (endsLine && left == room + 1)) {   // a line's last character may take column 76
                out.write(text, i, left);
                return column + left;
            }
            out.write(text, i, room);
            out.write(SOFT_BREAK, 0, SOFT_BREAK.length);
            i += room;
            column = 0;
        }
        return column;
    }
}
