package org.sealgate.mailets;

import java.util.Collections;
import java.util.Map;

import org.sealgate.memo.DirectMappedMemo;
import org.sealgate.policy.MailDecision;

/**
 * The decoded form of recently seen {@link PolicyAttributes#DECISIONS} texts. A mail's decisions are read by each
 * {@code PolicyChooses}/{@code PolicyRequiresTls} matcher and by the audit trail (about eight times per outbound
 * mail); each read decoded the text again (splits, a regex per recipient). Keyed by the text itself, not by the
 * mail: James copies attributes when a matcher splits a mail and the queue serialises them, and whatever the copy,
 * equal text decodes to equal decisions. Held in a {@link DirectMappedMemo} (fixed size, no lock; a collision
 * only costs a decode).
 */
final class DecodedDecisions {
    static final int SLOTS = 256;
    private static final DirectMappedMemo<String, Map<String, MailDecision.RecipientDecision>> MEMO =
        new DirectMappedMemo<>(SLOTS);

    private DecodedDecisions() {
    }

    static Map<String, MailDecision.RecipientDecision> of(String encoded) {
        return MEMO.get(encoded, text -> Collections.unmodifiableMap(MailDecision.decode(text)));
    }
}
