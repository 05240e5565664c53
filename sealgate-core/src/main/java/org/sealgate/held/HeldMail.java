package org.sealgate.held;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What is known about one held mail besides its content. All of it is stored sealed (only {@link #id()} and
 * {@link #heldAt()} are readable on disk, and they are bound to the sealed parts), so a disk reader learns neither
 * who wrote to whom nor why it was held.
 *
 * @param id         the store's name for it: 24 lower-case hex digits (random); nothing else is ever a file name
 * @param heldAt     when it was held (the retention limit counts from here)
 * @param reason     why, as the audit event says it
 * @param sender     envelope sender, empty for the null sender
 * @param recipients envelope recipients
 * @param node       the node that held it
 * @param remoteAddr the SMTP client's address
 * @param remoteHost the SMTP client's host name
 * @param trustedClient the mail came from a client allowed to relay (it went the outbound way); a release enters
 *                   the pipeline as from such a client again, so it is classified exactly as the original was
 * @param subject    the Subject header (for listing; may be empty)
 * @param messageId  the Message-ID header (may be empty)
 */
public record HeldMail(String id, Instant heldAt, String reason, String sender, List<String> recipients, String node,
                       String remoteAddr, String remoteHost, boolean trustedClient, String subject, String messageId) {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");

    public HeldMail {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(heldAt, "heldAt");
        if (!isId(id)) {
            throw new IllegalArgumentException("not a held mail id: " + id);
        }
        reason = reason == null ? "" : reason;
        sender = sender == null ? "" : sender;
        recipients = List.copyOf(recipients);
        node = node == null ? "" : node;
        remoteAddr = remoteAddr == null ? "" : remoteAddr;
        remoteHost = remoteHost == null ? "" : remoteHost;
        subject = subject == null ? "" : subject;
        messageId = messageId == null ? "" : messageId;
    }

    /** True for a well-formed id; anything else (e.g. {@code ../x}) is never used to build a path. */
    public static boolean isId(String candidate) {
        return candidate != null && ID.matcher(candidate).matches();
    }

    /** What a caller knows before the store names it. */
    public record Draft(String reason, String sender, List<String> recipients, String node, String remoteAddr,
                        String remoteHost, boolean trustedClient, String subject, String messageId) {
        HeldMail withId(String id, Instant heldAt) {
            return new HeldMail(id, heldAt, reason, sender, recipients, node, remoteAddr, remoteHost, trustedClient, subject,
                messageId);
        }
    }
}
