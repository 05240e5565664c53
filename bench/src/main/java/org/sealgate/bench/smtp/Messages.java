package org.sealgate.bench.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * The benchmark's messages. Text bodies are printable ASCII lines; attachments are random bytes (deterministic seed),
 * base64 in 76-character lines. The size given is that of the whole message as submitted, headers included.
 * Lines end in LF: smtp-source -F appends CRLF to each line; {@link #crlf} gives the wire form for our own client.
 */
final class Messages {
    private Messages() {
    }

    static String message(MessageShape shape, String messageId, String subject) {
        StringBuilder out = new StringBuilder(shape.bytes() + 1024);
        out.append("From: ").append(BenchFixture.SENDER).append('\n')
            .append("To: ").append(BenchFixture.RECIPIENT).append('\n')
            .append("Subject: ").append(subject).append('\n')
            .append("Message-ID: <").append(messageId).append('>').append('\n')
            .append("Date: Thu, 1 Jan 2026 00:00:00 +0000\n")
            .append("MIME-Version: 1.0\n");
        if (!shape.attachment()) {
            out.append("Content-Type: text/plain; charset=us-ascii\n\n");
            appendText(out, shape.bytes() - out.length());
            return out.toString();
        }
        String boundary = "=_sealgate_bench_boundary";
        out.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\n\n")
            .append("--").append(boundary).append('\n')
            .append("Content-Type: text/plain; charset=us-ascii\n\n");
        appendText(out, 512);
        out.append("--").append(boundary).append('\n')
            .append("Content-Type: application/octet-stream; name=\"report.bin\"\n")
            .append("Content-Transfer-Encoding: base64\n")
            .append("Content-Disposition: attachment; filename=\"report.bin\"\n\n");
        int encodedRoom = Math.max(76, shape.bytes() - out.length() - boundary.length() - 8);
        byte[] raw = new byte[(int) ((long) encodedRoom * 76 / 77 * 3 / 4)];
        new Random(shape.bytes()).nextBytes(raw);
        out.append(Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(raw)).append('\n')
            .append("--").append(boundary).append("--\n");
        return out.toString();
    }

    private static void appendText(StringBuilder out, int bytes) {
        String line = "The quick brown fox jumps over the lazy dog; Sealgate benchmark text 0123456789.";
        int written = 0;
        while (written < bytes) {
            int take = Math.min(line.length(), Math.max(1, bytes - written - 1));
            out.append(line, 0, take).append('\n');
            written += take + 1;
        }
    }

    static byte[] crlf(String message) {
        return message.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
