package org.sealgate.bench.smtp;

/**
 * The size and kind of the benchmark's messages.
 *
 * @param bytes      approximate size of the whole message (headers and body) as submitted
 * @param attachment false: one text/plain body; true: multipart/mixed with a short text and a base64 attachment
 *                   that makes up the rest of the size
 */
public record MessageShape(int bytes, boolean attachment) {
    public String label() {
        String size = bytes >= 1024 * 1024 ? (bytes / (1024 * 1024)) + " MB" : (bytes / 1024) + " KB";
        return size + (attachment ? " + att" : "");
    }
}
