package org.sealgate.node;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/** Raw RFC 5322 messages as a mail client would send them. */
final class TestMails {
    private TestMails() {
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String messageId(String id) {
        return "<" + id + "@client.test>";
    }

    static byte[] plain(String from, List<String> to, String subject, String id, String body) {
        return (headers(from, to, subject, id)
            + "Content-Type: text/plain; charset=UTF-8\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n\r\n"
            + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A text body and one binary attachment (base64, 76-character lines). */
    static byte[] withAttachment(String from, List<String> to, String subject, String id, byte[] attachment) {
        String boundary = "----=_sealgate_test_boundary";
        return (headers(from, to, subject, id)
            + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
            + "--" + boundary + "\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
            + "Please find the report attached.\r\n"
            + "--" + boundary + "\r\n"
            + "Content-Type: application/octet-stream; name=\"report.bin\"\r\n"
            + "Content-Disposition: attachment; filename=\"report.bin\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment) + "\r\n"
            + "--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Wraps a ready MIME entity (headers + body, e.g. openssl's output) into a message with the given headers. */
    static byte[] wrap(String from, List<String> to, String subject, String id, byte[] entity) {
        byte[] head = headers(from, to, subject, id).getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + entity.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(entity, 0, all, head.length, entity.length);
        return all;
    }

    static String headers(String from, List<String> to, String subject, String id) {
        return "From: " + from + "\r\n"
            + "To: " + String.join(", ", to) + "\r\n"
            + "Subject: " + subject + "\r\n"
            + "Message-ID: " + messageId(id) + "\r\n"
            + "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\n"
            + "MIME-Version: 1.0\r\n";
    }
}
