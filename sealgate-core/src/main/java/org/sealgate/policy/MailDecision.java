package org.sealgate.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.sealgate.keys.Addresses;

/**
 * What the engine decided for one outbound mail: per recipient an outcome and its reason, whether to sign, the
 * subject without triggers. {@link #encodeRecipients()} gives a plain string (it must survive the durable queue as
 * a mail attribute): one line per recipient, {@code address TAB outcome TAB reason TAB transport}.
 *
 * @param recipients  by normalised address, in the mail's order
 */
public record MailDecision(Map<String, RecipientDecision> recipients, boolean sign, String signReason,
                           SenderTriggers triggers, boolean debugHeader) {
    private static final Pattern LINE_BREAKS_AND_TABS = Pattern.compile("[\\t\\r\\n]+");

    /**
     * One recipient's outcome, in words why, and the transport security its delivery needs ({@code tls} outcomes
     * need at least {@code required}).
     */
    public record RecipientDecision(Outcome outcome, String reason, TransportSecurity transport) {
        public RecipientDecision {
            // Fields of the encoded line are tab-separated, lines newline-separated: neither may be in a reason.
            // Checked first: reasons almost never hold them, and replaceAll compiled its pattern on every call.
            if (reason.indexOf('\t') >= 0 || reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
                reason = LINE_BREAKS_AND_TABS.matcher(reason).replaceAll(" ");
            }
        }

        public RecipientDecision(Outcome outcome, String reason) {
            this(outcome, reason, outcome == Outcome.TLS ? TransportSecurity.REQUIRED : TransportSecurity.OPPORTUNISTIC);
        }

        @Override
        public String toString() {
            boolean implied = transport == TransportSecurity.OPPORTUNISTIC
                || outcome == Outcome.TLS && transport == TransportSecurity.REQUIRED;
            return outcome.token() + (implied ? "" : ", tls " + transport.token()) + " (" + reason + ")";
        }
    }

    public MailDecision {
        recipients = Collections.unmodifiableMap(new LinkedHashMap<>(recipients));
    }

    public String encodeRecipients() {
        return encode(recipients);
    }

    public static String encode(Map<String, RecipientDecision> recipients) {
        return recipients.entrySet().stream()
            .map(e -> e.getKey() + "\t" + e.getValue().outcome().token() + "\t" + e.getValue().reason()
                + "\t" + e.getValue().transport().token())
            .collect(Collectors.joining("\n"));
    }

    /** The inverse of {@link #encode}; lines that cannot be read are skipped (the recipient then has no decision). */
    public static Map<String, RecipientDecision> decode(String encoded) {
        Map<String, RecipientDecision> decisions = new LinkedHashMap<>();
        for (String line : encoded.split("\n")) {
            String[] parts = line.split("\t", 4);
            if (parts.length >= 3) {
                try {
                    Outcome outcome = Outcome.ofToken(parts[1]);
                    decisions.put(parts[0], parts.length == 4
                        ? new RecipientDecision(outcome, parts[2], TransportSecurity.ofToken(parts[3]))
                        : new RecipientDecision(outcome, parts[2]));
                } catch (IllegalArgumentException e) {
                    // unknown outcome: leave the recipient undecided, the pipeline sends it to the error processor
                }
            }
        }
        return decisions;
    }

    public Optional<RecipientDecision> forRecipient(String address) {
        return Optional.ofNullable(recipients.get(Addresses.normalise(address)));
    }

    /** One line for a debug header: {@code sign=yes; bob@x=smime (...); carol@y=bounce (...)}. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        parts.add("sign=" + (sign ? "yes" : "no") + " (" + signReason + ")");
        if (!triggers.found().isEmpty()) {
            parts.add("triggers=" + triggers.cause());
        }
        recipients.forEach((address, decision) -> parts.add(address + "=" + decision));
        return String.join("; ", parts);
    }
}
