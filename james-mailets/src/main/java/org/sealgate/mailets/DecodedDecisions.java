package org.sealgate.mailets;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.sealgate.policy.MailDecision;

/**
 * The decoded form of recently seen {@link PolicyAttributes#DECISIONS} texts. A mail's decisions are read by each
 * {@code PolicyChooses}/{@code PolicyRequiresTls} matcher and by the audit trail (about eight times per outbound
 * mail); each read decoded the text again (splits, a regex per recipient). Keyed by the text itself, not by the
 * mail: James copies attributes when a matcher splits a mail and the queue serialises them, and whatever the copy,
 * equal text decodes to equal decisions. Direct-mapped and fixed in size (a slot holds the last text hashed to it),
 * so it never grows and needs no lock; a collision only costs a decode. Entries are immutable records in an
 * atomic array: a reader sees a whole entry or none.
 */
final class DecodedDecisions {
    static final int SLOTS = 256;   // a power of two
    private static final AtomicReferenceArray<Entry> ENTRIES = new AtomicReferenceArray<>(SLOTS);

    private record Entry(String encoded, Map<String, MailDecision.RecipientDecision> decisions) {
    }

    private DecodedDecisions() {
    }

    static Map<String, MailDecision.RecipientDecision> of(String encoded) {
        int slot = spread(encoded.hashCode()) & (SLOTS - 1);
        Entry entry = ENTRIES.get(slot);
        if (entry != null && entry.encoded().equals(encoded)) {
            return entry.decisions();
        }
        Map<String, MailDecision.RecipientDecision> decoded = Collections.unmodifiableMap(MailDecision.decode(encoded));
        ENTRIES.set(slot, new Entry(encoded, decoded));
        return decoded;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
