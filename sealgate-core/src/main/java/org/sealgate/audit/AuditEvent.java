package org.sealgate.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One processed mail, as the audit trail records it. Never carries message content or secrets.
 *
 * @param time       when processing of this mail ended
 * @param messageId  the Message-ID header (or the James mail name when the header is missing)
 * @param direction  {@code inbound} or {@code outbound}
 * @param sender     envelope sender, empty for the null sender
 * @param recipients per-recipient method and key
 * @param outcome    what happened to the mail, e.g. {@code encrypted}, {@code relayed}, {@code bounced}, {@code held}
 * @param reason     why, in words an administrator understands; empty when there is nothing to explain
 */
public record AuditEvent(Instant time,
                         String messageId,
                         String direction,
                         String sender,
                         List<RecipientOutcome> recipients,
                         String outcome,
                         String reason) {

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(outcome, "outcome");
        messageId = messageId == null ? "" : messageId;
        sender = sender == null ? "" : sender;
        reason = reason == null ? "" : reason;
        recipients = List.copyOf(recipients);
    }

    /**
     * @param recipient      envelope recipient
     * @param method         protection applied for this recipient: {@code smime-encrypt}, {@code smime-sign},
     *                       {@code smime-sign+encrypt}, {@code smime-decrypt}, {@code none}, ...
     * @param keyFingerprint SHA-256 fingerprint (hex) of the certificate used, empty when none
     * @param policy         the policy engine's decision for this recipient and why, e.g.
     *                       {@code smime (encrypt=required (domain partner.example); usable S/MIME certificate)};
     *                       empty when the engine did not decide (inbound mail)
     */
    public record RecipientOutcome(String recipient, String method, String keyFingerprint, String policy) {
        public RecipientOutcome {
            Objects.requireNonNull(recipient, "recipient");
            method = method == null ? "none" : method;
            keyFingerprint = keyFingerprint == null ? "" : keyFingerprint;
            policy = policy == null ? "" : policy;
        }

        /** An outcome without a policy decision. */
        public RecipientOutcome(String recipient, String method, String keyFingerprint) {
            this(recipient, method, keyFingerprint, "");
        }
    }
}
