package org.sealgate.mailets;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.sealgate.keys.Addresses;

/**
 * The keys {@link ApplyPolicy} selected per recipient (S/MIME certificate fingerprint, OpenPGP key fingerprint),
 * carried in a mail attribute to {@link SmimeEncrypt} and {@link PgpEncrypt} so that a recipient's selection
 * (validation, live revocation checks that may go to the network, discovery) is done once per mail, not twice.
 * <p>
 * Trust: mail attributes are set only by mailets, never from the SMTP session or the mail's headers (no mailet in
 * the pipeline copies a header into this name). The value is still only a hint: it names fingerprints, and the
 * encryption mailets take the key itself from the key directory (or discovered store) for that very recipient, so
 * a forged value could at most name another key the gateway already holds for that address. It is honoured only
 * when it covers every current recipient of the mail for the method at hand and is younger than {@link #MAX_AGE}
 * (a mail that waited longer, e.g. in a queue after a split, is selected again); {@link HoldMail} removes it, so a
 * released mail is always decided and selected afresh. Anything unreadable means: select again.
 */
public final class SelectedKeys {
    public static final AttributeName ATTRIBUTE = AttributeName.of("org.sealgate.policy.selected-keys");
    /** Policy and encryption normally run in the same spool pass, milliseconds apart; longer means stale. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    private static final String VERSION = "v1";
    private static final AtomicLong REPEATED = new AtomicLong();

    public enum Kind { SMIME, PGP }

    /** One recipient's selected key; {@code note} is the selection's audit note (revocation: prefer). */
    record Entry(Kind kind, String address, String fingerprint, String note) {
    }

    private SelectedKeys() {
    }

    /** Collects one mail's selections while the policy engine decides. */
    static final class Recorder {
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        void selected(Kind kind, String address, String fingerprint, String note) {
            String normalised = Addresses.normalise(address);
            entries.put(key(kind, normalised), new Entry(kind, normalised, clean(fingerprint), clean(note)));
        }

        void forget(Kind kind, String address) {
            entries.remove(key(kind, Addresses.normalise(address)));
        }

        /** Replaces whatever the mail carried (a mail through the policy twice keeps only the latest selection). */
        void store(Mail mail, Instant now) {
            StringBuilder value = new StringBuilder(VERSION).append(' ').append(now.toEpochMilli());
            entries.values().forEach(entry -> value.append('\n').append(entry.kind().name().toLowerCase(Locale.ROOT))
                .append('\t').append(entry.address()).append('\t').append(entry.fingerprint()).append('\t').append(entry.note()));
            mail.setAttribute(new Attribute(ATTRIBUTE, AttributeValue.of(value.toString())));
        }

        private static String key(Kind kind, String address) {
            return kind + " " + address;
        }

        private static String clean(String text) {
            return text.replaceAll("[\\t\\r\\n]", " ");
        }
    }

    static void clear(Mail mail) {
        mail.removeAttribute(ATTRIBUTE);
    }

    /**
     * The selected entry of each current recipient for {@code kind}, by normalised address, when the attribute is
     * present, readable, fresh and covers every recipient; else empty (the caller selects as without it).
     */
    static Optional<Map<String, Entry>> covering(Mail mail, Kind kind, Collection<MailAddress> recipients, Instant now) {
        Optional<String> value = PolicyAttributes.string(mail, ATTRIBUTE);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Entry> all = decode(value.get(), kind, now);
        Map<String, Entry> wanted = new LinkedHashMap<>();
        for (MailAddress recipient : recipients) {
            Entry entry = all.get(Addresses.normalise(recipient.asString()));
            if (entry == null) {
                return Optional.empty();
            }
            wanted.put(entry.address(), entry);
        }
        return wanted.isEmpty() ? Optional.empty() : Optional.of(wanted);
    }

    private static Map<String, Entry> decode(String value, Kind kind, Instant now) {
        String[] lines = value.split("\n");
        String[] head = lines[0].split(" ");
        if (head.length != 2 || !head[0].equals(VERSION)) {
            return Map.of();
        }
        Instant selectedAt;
        try {
            selectedAt = Instant.ofEpochMilli(Long.parseLong(head[1]));
        } catch (NumberFormatException e) {
            return Map.of();
        }
        // Neither older than the bound nor from the future (a clock step back must not stretch the bound).
        if (selectedAt.isAfter(now.plusSeconds(1)) || Duration.between(selectedAt, now).compareTo(MAX_AGE) > 0) {
            return Map.of();
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split("\t", -1);
            if (fields.length != 4 || fields[2].isEmpty()) {
                return Map.of();
            }
            if (fields[0].equals(kind.name().toLowerCase(Locale.ROOT))) {
                entries.put(fields[1], new Entry(kind, fields[1], fields[2], fields[3]));
            }
        }
        return entries;
    }

    /** How often an encryption mailet in this JVM had to select a recipient's key again (no usable selection carried). */
    public static long repeatedSelections() {
        return REPEATED.get();
    }

    static void countRepeated() {
        REPEATED.incrementAndGet();
    }
}
