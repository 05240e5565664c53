package org.sealgate.crypto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a multipart body into its parts as raw bytes (RFC 2046 §5.1.1). JavaMail's parser would give parsed parts;
 * a detached signature needs the first part's exact octets, so the cut is done here.
 */
final class MultipartSplitter {

    private MultipartSplitter() {
    }

    /** The parts between the delimiters; the line break before each delimiter belongs to the delimiter. */
    static List<byte[]> split(byte[] body, String boundary) {
        return ranges(body, boundary).stream().map(ByteSlice::toArray).toList();
    }

    /** As {@link #split}, the parts left where they are. */
    static List<ByteSlice> ranges(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<ByteSlice> parts = new ArrayList<>();
        int partStart = -1;
        int lineStart = 0;
        while (lineStart < body.length) {
            int lineEnd = LineBytes.indexOfLineFeed(body, lineStart, body.length);
            int next = lineEnd < 0 ? body.length : lineEnd + 1;
            if (startsWith(body, lineStart, delimiter)) {
                boolean closing = startsWith(body, lineStart + delimiter.length, "--".getBytes(StandardCharsets.ISO_8859_1));
                if (closing || onlyWhitespaceUntilEol(body, lineStart + delimiter.length, next)) {
                    if (partStart >= 0) {
                        parts.add(new ByteSlice(body, partStart, contentEnd(body, partStart, lineStart)));
                    }
                    if (closing) {
                        return parts;
                    }
                    partStart = next;
                }
            }
            lineStart = next;
        }
        // No closing delimiter: a truncated message; what was seen is not a complete multipart.
        return List.of();
    }

    private static int contentEnd(byte[] body, int partStart, int delimiterLineStart) {
        int end = delimiterLineStart;
        if (end > partStart && body[end - 1] == '\n') {
            end--;
            if (end > partStart && body[end - 1] == '\r') {
                end--;
            }
        }
        return end;
    }

    private static boolean onlyWhitespaceUntilEol(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] body, int offset, byte[] prefix) {
        if (offset + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
