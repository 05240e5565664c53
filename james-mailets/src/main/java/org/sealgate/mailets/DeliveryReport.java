package org.sealgate.mailets;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

/**
 * A failure delivery status notice as RFC 3464 shapes it: {@code multipart/report; report-type=delivery-status}
 * with a short text, the {@code message/delivery-status} fields and the original's headers as
 * {@code text/rfc822-headers}. It never carries the original's body: what bounces may have been decrypted on the
 * way in, and the notice goes to an address nobody verified. Written out byte by byte, so no MIME library decides
 * what goes in.
 */
final class DeliveryReport {
    private static final Pattern STATUS = Pattern.compile("\\b([245]\\.\\d{1,3}\\.\\d{1,3})\\b");
    private static final Pattern SMTP_REPLY = Pattern.compile("^\\s*[245]\\d\\d\\b.*");
    private static final int MAX_REASON = 500;

    private DeliveryReport() {
    }

    /**
     * @param headers the header block to quote (the headers as they arrived), CRLF-terminated lines
     */
    static MimeMessage failure(String reportingMta, String postmaster, String notified, List<String> failedRecipients,
                               String reason, String headers, ZonedDateTime now) throws MessagingException {
        return failure(reportingMta, postmaster, notified, failedRecipients, reason, "5.0.0", headers, now);
    }

    /**
     * @param defaultStatus the enhanced status code when the reason carries none (a policy refusal: 5.7.1)
     */
    static MimeMessage failure(String reportingMta, String postmaster, String notified, List<String> failedRecipients,
                               String reason, String defaultStatus, String headers, ZonedDateTime now) throws MessagingException {
        String cleanReason = oneLine(reason);
        String boundary = "=_sealgate-dsn-" + UUID.randomUUID();
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now);
        StringBuilder out = new StringBuilder();
        out.append("From: Mail Delivery System <").append(postmaster).append(">\r\n")
            .append("To: <").append(notified).append(">\r\n")
            .append("Subject: Undelivered Mail Returned to Sender\r\n")
            .append("Date: ").append(date).append("\r\n")
            .append("Message-ID: <dsn.").append(UUID.randomUUID()).append('@').append(reportingMta).append(">\r\n")
            .append("Auto-Submitted: auto-replied\r\n")
            .append("MIME-Version: 1.0\r\n")
            .append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"")
            .append(boundary).append("\"\r\n\r\n");

        out.append("--").append(boundary).append("\r\n")
            .append("Content-Type: text/plain; charset=us-ascii\r\n\r\n")
            .append("Your message could not be delivered to:\r\n");
        failedRecipients.forEach(r -> out.append("    ").append(r).append("\r\n"));
        out.append("\r\nReason: ").append(cleanReason).append("\r\n\r\n")
            .append("This is a permanent error; the message will not be retried. Its headers are attached;\r\n")
            .append("its content is not.\r\n\r\n");

        out.append("--").append(boundary).append("\r\n")
            .append("Content-Type: message/delivery-status\r\n\r\n")
            .append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n");
        for (String recipient : failedRecipients) {
            out.append("\r\nFinal-Recipient: rfc822; ").append(recipient).append("\r\n")
                .append("Action: failed\r\n")
                .append("Status: ").append(status(cleanReason, defaultStatus)).append("\r\n")
                .append("Diagnostic-Code: ").append(SMTP_REPLY.matcher(cleanReason).matches() ? "smtp; " : "X-Sealgate; ")
                .append(cleanReason).append("\r\n")
                .append("Last-Attempt-Date: ").append(date).append("\r\n");
        }
        out.append("\r\n");

        out.append("--").append(boundary).append("\r\n")
            .append("Content-Type: text/rfc822-headers\r\n");
        if (isPlainAscii(headers)) {
            out.append("\r\n").append(headers);
        } else {
            // 8-bit or overlong header lines: base64, so the notice itself is plain 7-bit mail.
            out.append("Content-Transfer-Encoding: base64\r\n\r\n")
                .append(Base64.getMimeEncoder().encodeToString(headers.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        out.append("--").append(boundary).append("--\r\n");
        return new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    /** The enhanced status code in the reason (e.g. {@code 5.1.1}), else the generic permanent failure. */
    static String status(String reason) {
        return status(reason, "5.0.0");
    }

    private static String status(String reason, String defaultStatus) {
        Matcher matcher = STATUS.matcher(reason);
        return matcher.find() ? matcher.group(1) : defaultStatus;
    }

    /** A reason from a remote server or our pipeline as one printable ASCII line (no header injection). */
    static String oneLine(String reason) {
        String text = Optional.ofNullable(reason).orElse("").replaceAll("[^\\x20-\\x7E]+", " ").trim();
        if (text.isEmpty()) {
            return "delivery failed";
        }
        return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) + "..." : text;
    }

    private static boolean isPlainAscii(String text) {
        int lineLength = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7E || (c < 0x20 && c != '\r' && c != '\n' && c != '\t')) {
                return false;
            }
            lineLength = c == '\n' ? 0 : lineLength + 1;
            if (lineLength > 998) {
                return false;
            }
        }
        return true;
    }
}
