package org.sealgate.mailets;

import java.util.Map;
import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.sealgate.policy.MailDecision;

/**
 * The policy engine's decisions as mail attributes (plain strings, so they survive the durable queue and splits):
 * set once by {@link ApplyPolicy}, read by the {@code PolicyChooses} matcher, the signing step and the audit trail.
 */
public final class PolicyAttributes {
    /** One line per recipient: {@code address TAB outcome TAB reason}. */
    public static final AttributeName DECISIONS = AttributeName.of("org.sealgate.policy.decisions");
    /** {@code true} or {@code false}: whether outbound signing applies to this mail. */
    public static final AttributeName SIGN = AttributeName.of("org.sealgate.policy.sign");
    /** The value of an {@code X-Sealgate-Encrypt} header from a trusted client, kept before the header is stripped. */
    public static final AttributeName ENCRYPT_HEADER = AttributeName.of("org.sealgate.trigger.encrypt-header");
    /** The same value once the policy engine used it: a held mail keeps it so its release is decided the same way. */
    public static final AttributeName ENCRYPT_HEADER_DECIDED = AttributeName.of("org.sealgate.trigger.encrypt-header.decided");

    private PolicyAttributes() {
    }

    static void store(Mail mail, MailDecision decision) {
        mail.setAttribute(new Attribute(DECISIONS, AttributeValue.of(decision.encodeRecipients())));
        mail.setAttribute(new Attribute(SIGN, AttributeValue.of(Boolean.toString(decision.sign()))));
    }

    /**
     * Decisions by lower-case recipient address (unmodifiable); empty when the engine has not run on this mail.
     * Decoded from the attribute, which stays the one truth; the decoded form is remembered by the attribute's text
     * ({@link DecodedDecisions}), since every matcher and later mailet of the same mail asks again.
     */
    public static Map<String, MailDecision.RecipientDecision> decisions(Mail mail) {
        return string(mail, DECISIONS).map(DecodedDecisions::of).orElse(Map.of());
    }

    /** The engine's signing decision, when it ran. */
    static Optional<Boolean> sign(Mail mail) {
        return string(mail, SIGN).map(Boolean::parseBoolean);
    }

    static Optional<String> string(Mail mail, AttributeName name) {
        return mail.getAttribute(name).flatMap(attribute -> attribute.getValue().valueAs(String.class));
    }
}
