package org.sealgate.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A base64 body as mail carries it (lines of 64 or 76 characters, CRLF or LF between them) decoded on the JDK's
 * basic decoder. The JDK's MIME decoder first reads every byte to count what it will skip and then decodes line by
 * line: a tenth of a 1 MB inbound S/MIME mail's time in the spooler. Here the line breaks are squeezed out in place,
 * a line at a time (where a line is as long as the one before, its end is looked at, not searched for), and the rest
 * is decoded in one call. Anything else outside the alphabet makes the basic decoder refuse, and the MIME decoder
 * reads the squeezed text instead: it skips line breaks anyway, so it gives what it gave for the original.
 */
final class MimeBase64 {
    private MimeBase64() {
    }

    /**
     * The decoded bytes, or empty where the MIME decoder refuses the text too (bad padding).
     *
     * @param text the encoded body; overwritten (its line breaks squeezed out)
     */
    static Optional<byte[]> decodeInPlace(byte[] text) {
        int length = squeezeLineBreaks(text);
        try {
            return Optional.of(array(Base64.getDecoder().decode(ByteBuffer.wrap(text, 0, length))));
        } catch (IllegalArgumentException notPlain) {
            try {
                return Optional.of(array(Base64.getMimeDecoder().decode(ByteBuffer.wrap(text, 0, length))));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Moves the text's lines to its front without the CR and LF bytes that end them; returns the new length. A line
     * break inside a line guessed by its length stays in (the basic decoder then refuses, see the class comment).
     */
    static int squeezeLineBreaks(byte[] text) {
        int written = 0;
        int at = 0;
        int lineLength = -1;
        while (at < text.length) {
            int end = at + lineLength;
            if (lineLength <= 0 || end >= text.length || !isBreak(text[end])) {
                end = at;
                while (end < text.length && !isBreak(text[end])) {
                    end++;
                }
                lineLength = end - at;
            }
            System.arraycopy(text, at, text, written, end - at);
            written += end - at;
            at = end;
            while (at < text.length && isBreak(text[at])) {
                at++;
            }
        }
        return written;
    }

    private static boolean isBreak(byte b) {
        return b == '\r' || b == '\n';
    }

    private static byte[] array(ByteBuffer decoded) {
        byte[] array = decoded.array();
        int from = decoded.arrayOffset() + decoded.position();
        int to = decoded.arrayOffset() + decoded.limit();
        return from == 0 && to == array.length ? array : Arrays.copyOfRange(array, from, to);
    }
}
