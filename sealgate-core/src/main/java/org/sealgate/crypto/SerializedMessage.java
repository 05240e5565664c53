package org.sealgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/**
 * A message serialised once, into a buffer sized from what the message says it holds, with its header lines parsed
 * and its body left in place. Signing and encrypting read the body where it lies: serialising into a growing stream,
 * {@code toByteArray}, copying the body out and joining it to new headers cost four copies of the mail before any
 * cryptography. The split is the one of {@link MimeEntities.Entity#parse} (same header lines, same body bytes).
 */
final class SerializedMessage {
    private final byte[] bytes;
    private final int bodyOffset;
    private final int end;
    private final List<String> headerLines;

    private SerializedMessage(byte[] bytes, int bodyOffset, int end, List<String> headerLines) {
        this.bytes = bytes;
        this.bodyOffset = bodyOffset;
        this.end = end;
        this.headerLines = headerLines;
    }

    static SerializedMessage of(MimeMessage message) throws MessagingException, IOException {
        Buffer out = new Buffer(capacityFor(message));
        message.writeTo(out);
        return split(out.array(), out.size());
    }

    /** The first {@code length} bytes of {@code bytes} as a message (header block, empty line, body). */
    static SerializedMessage split(byte[] bytes, int length) {
        int bodyStart = bodyStart(bytes, length);
        // Header lines parsed by Entity.parse from the header block alone (a few hundred bytes, not the body).
        int headerBytes = Math.min(bodyStart, length);
        List<String> lines = MimeEntities.Entity.parse(Arrays.copyOf(bytes, headerBytes)).headerLines();
        return new SerializedMessage(bytes, Math.min(bodyStart, length), length, lines);
    }

    List<String> headerLines() {
        return headerLines;
    }

    List<String> contentHeaderLines() {
        return headerLines.stream().filter(MimeEntities::isContentHeader).toList();
    }

    List<String> nonContentHeaderLines() {
        return headerLines.stream().filter(line -> !MimeEntities.isContentHeader(line)).toList();
    }

    /** The array that holds the body (and more: read it only between {@link #bodyOffset} and {@link #bodyEnd}). */
    byte[] array() {
        return bytes;
    }

    int bodyOffset() {
        return bodyOffset;
    }

    int bodyEnd() {
        return end;
    }

    int bodyLength() {
        return end - bodyOffset;
    }

    /**
     * Body size as the message reports it plus its header lines: exact for a message parsed from bytes (ours, and
     * James's once loaded), an estimate otherwise; a buffer too small grows as a stream would.
     */
    private static int capacityFor(MimeMessage message) throws MessagingException {
        long size = Math.max(0, message.getSize());
        Enumeration<String> lines = message.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            size += lines.nextElement().length() + 2L;
        }
        // Headers writeTo may still add (MIME-Version, Date, Message-ID on a message never saved) and the empty line.
        size += 512;
        return (int) Math.min(size, Integer.MAX_VALUE - 16);
    }

    /** Index of the first body byte, as MimeEntities computes it; {@code length + 1} when there is no empty line. */
    private static int bodyStart(byte[] bytes, int length) {
        if (length > 0 && bytes[0] == '\n') {
            return 1;
        }
        if (length > 1 && bytes[0] == '\r' && bytes[1] == '\n') {
            return 2;
        }
        for (int i = 0; i < length - 1; i++) {
            if (bytes[i] == '\n') {
                if (bytes[i + 1] == '\n') {
                    return i + 2;
                }
                if (bytes[i + 1] == '\r' && i + 2 < length && bytes[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return length + 1;
    }

    /** A byte stream whose array is handed out as it is (no closing copy). Not synchronised on every write. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int capacity) {
            super(capacity);
        }

        byte[] array() {
            return buf;
        }
    }
}
