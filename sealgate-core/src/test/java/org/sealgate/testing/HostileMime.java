package org.sealgate.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** MIME entities an attacker would send: bytes only, never parsed here. */
public final class HostileMime {
    private HostileMime() {
    }

    /**
     * A multipart nested {@code depth} levels deep (each level one part holding the next), innermost a short text;
     * an entity (Content-Type header, blank line, body) to put under a message's other headers or inside encryption.
     */
    public static byte[] nestedMultiparts(int depth, String innerText) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(depth * 64);
        for (int level = 0; level < depth; level++) {
            out.writeBytes(("Content-Type: multipart/mixed; boundary=\"b" + level + "\"\r\n\r\n--b" + level + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("Content-Type: text/plain\r\n\r\n" + innerText + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int level = depth - 1; level >= 0; level--) {
            out.writeBytes(("--b" + level + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** A flat multipart/mixed entity with {@code parts} small text parts. */
    public static byte[] manyParts(int parts) {
        StringBuilder out = new StringBuilder("Content-Type: multipart/mixed; boundary=\"flat\"\r\n\r\n");
        for (int i = 0; i < parts; i++) {
            out.append("--flat\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        return out.append("--flat--\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code count} extra header fields ({@code X-Filler-N: x}) followed by a text entity. */
    public static byte[] manyHeaders(int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append("X-Filler-").append(i).append(": x\r\n");
        }
        return out.append("Content-Type: text/plain\r\n\r\nbody\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A text entity under one header line of {@code length} octets. */
    public static byte[] longHeaderLine(int length) {
        String name = "X-Long: ";
        return (name + "y".repeat(length - name.length()) + "\r\nContent-Type: text/plain\r\n\r\nbody\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    }
}
