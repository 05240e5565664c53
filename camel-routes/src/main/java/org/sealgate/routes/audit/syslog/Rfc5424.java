package org.sealgate.routes.audit.syslog;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.sealgate.audit.AuditEvent;

/**
 * An audit event as one RFC 5424 message: the event's fields as structured data under our SD-ID, the reason again
 * as the free-text MSG. Values are escaped as RFC 5424 §6.3.3 asks ({@code "}, {@code \} and {@code ]} behind a
 * backslash) and control characters (line feeds included) become spaces, so no value can close the SD element, add
 * one, or start what a line-based collector would take for a second record. Long values are cut, so one event stays
 * one datagram. Audit events carry no secrets (see AuditEvent); nothing else is added.
 */
public final class Rfc5424 {
    /** Our SD-ID: name@private enterprise number (32473 is the number RFC 5612 reserves for documentation). */
    public static final String SD_ID = "sealgate@32473";
    static final int MAX_VALUE_CHARS = 256;
    private static final int SEVERITY_INFO = 6;
    private static final int SEVERITY_WARNING = 4;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
        .withZone(ZoneOffset.UTC);
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private Rfc5424() {
    }

    public static byte[] format(AuditEvent event, SyslogSettings settings, long processId) {
        int severity = event.outcome().equals("config-refused") || event.outcome().contains("fail")
            ? SEVERITY_WARNING : SEVERITY_INFO;
        StringBuilder header = new StringBuilder()
            .append('<').append(settings.facility() * 8 + severity).append(">1 ")
            .append(TIMESTAMP.format(event.time())).append(' ')
            .append(settings.hostName()).append(' ')
            .append(settings.appName()).append(' ')
            .append(processId).append(' ')
            .append(msgId(event.outcome())).append(' ');
        StringBuilder sd = new StringBuilder("[").append(SD_ID);
        param(sd, "messageId", event.messageId());
        param(sd, "direction", event.direction());
        param(sd, "sender", event.sender());
        param(sd, "outcome", event.outcome());
        param(sd, "reason", event.reason());
        for (AuditEvent.RecipientOutcome recipient : event.recipients()) {
            param(sd, "recipient", recipient.recipient());
            param(sd, "method", recipient.method());
            param(sd, "key", recipient.keyFingerprint());
        }
        sd.append(']');
        byte[] head = (header.toString() + sd).getBytes(StandardCharsets.UTF_8);
        if (event.reason().isEmpty()) {
            return head;
        }
        byte[] msg = clean(event.reason()).getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + 1 + BOM.length + msg.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = ' ';
        System.arraycopy(BOM, 0, all, head.length + 1, BOM.length);
        System.arraycopy(msg, 0, all, head.length + 1 + BOM.length, msg.length);
        return all;
    }

    /** MSGID: 1..32 printable ASCII; the outcome, reduced to that. */
    static String msgId(String outcome) {
        String id = outcome.replaceAll("[^\\x21-\\x7e]", "_");
        id = id.length() > 32 ? id.substring(0, 32) : id;
        return id.isEmpty() ? "-" : id;
    }

    private static void param(StringBuilder sd, String name, String value) {
        sd.append(' ').append(name).append("=\"");
        String cleaned = clean(value);
        for (int i = 0; i < cleaned.length(); i++) {
            char c = cleaned.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                sd.append('\\');
            }
            sd.append(c);
        }
        sd.append('"');
    }

    /** Control characters to spaces, lone surrogates dropped, cut to {@link #MAX_VALUE_CHARS}. */
    static String clean(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_VALUE_CHARS));
        for (int i = 0; i < value.length() && out.length() < MAX_VALUE_CHARS; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                out.append(' ');
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                if (out.length() + 2 > MAX_VALUE_CHARS) {
                    break;
                }
                out.append(c).append(value.charAt(++i));
            } else if (!Character.isSurrogate(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
