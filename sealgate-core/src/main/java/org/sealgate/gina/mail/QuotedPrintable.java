package org.sealgate.gina.mail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Quoted-printable (RFC 2045 §6.7), for the secure-message page: CRLF is the only line break (a lone CR or LF is
 * encoded, {@code =0D}, {@code =0A}, so decoding gives back the very bytes), lines longer than {@value #MAX_LINE}
 * get soft line breaks. A run the caller vouches for (literal characters only, no white space: the page's container,
 * most of it) is copied in pieces between the soft breaks without a look at each byte, also as it streams in
 * ({@link #literals}), so the container's base64url never has to be held whole.
 *
 * <p>An encoder appends to one output and carries the column across the pieces written to it.
 */
final class QuotedPrintable {
    /** Longest encoded line, the soft break's {@code =} included. */
    static final int MAX_LINE = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOFT_BREAK = {'=', '\r', '\n'};

    private final ByteArrayOutputStream out;
    private int column;

    QuotedPrintable(ByteArrayOutputStream out) {
        this.out = out;
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
        QuotedPrintable encoder = new QuotedPrintable(out);
        if (literalTo > literalFrom) {
            encoder.text(text, 0, literalFrom, false);
            encoder.literalRun(text, literalFrom, literalTo, lineEndsAt(text, literalTo, text.length));
            encoder.text(text, literalTo, text.length, true);
        } else {
            encoder.text(text, 0, text.length, true);
        }
        return out.toByteArray();
    }

    /**
     * Encodes {@code text[from, to)}.
     *
     * @param endsLine whether a line ends where the piece ends (the text's end, or a CRLF next): white space just
     *                 before it is encoded, and the last character may take the line's last column
     */
    void text(byte[] text, int from, int to, boolean endsLine) {
        int i = from;
        while (i < to) {
            if (crlfAt(text, i, to)) {
                out.write('\r');
                out.write('\n');
                column = 0;
                i += 2;
            } else {
                encodeByte(text[i], i + 1 == to ? endsLine : crlfAt(text, i + 1, to));
                i++;
            }
        }
    }

    /**
     * A stream of literal characters (as {@link #encode(byte[], int, int)}'s run) copied between soft breaks as they
     * come; more text follows on the same line. Closing it closes nothing.
     */
    OutputStream literals() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                literalRun(bytes, offset, offset + length, false);
            }
        };
    }

    /** True when a CRLF starts at {@code i} (before {@code end}), or the text ends there. */
    private static boolean lineEndsAt(byte[] text, int i, int end) {
        return i == end || crlfAt(text, i, end);
    }

    private static boolean crlfAt(byte[] text, int i, int end) {
        return i + 1 < end && text[i] == '\r' && text[i + 1] == '\n';
    }

    /** One byte, after a soft break if it would not fit. */
    private void encodeByte(byte b, boolean lastOnLine) {
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
        column += width;
    }

    /** The run {@code [from, to)} of literal characters, cut exactly where {@link #encodeByte} would cut it. */
    private void literalRun(byte[] text, int from, int to, boolean endsLine) {
        int i = from;
        while (i < to) {
            int room = MAX_LINE - 1 - column;
            int left = to - i;
            if (left <= room || (endsLine && left == room + 1)) {   // a line's last character may take column 76
                out.write(text, i, left);
                column += left;
                return;
            }
            out.write(text, i, room);
            out.write(SOFT_BREAK, 0, SOFT_BREAK.length);
            i += room;
            column = 0;
        }
    }
}
