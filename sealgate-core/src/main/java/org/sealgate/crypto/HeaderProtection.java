package org.sealgate.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Header protection for encrypted mail (RFC 9788): the real Subject and the other user-facing header fields travel
 * inside the encrypted entity (whose Content-Type gets {@code hp="cipher"}); the Subject left outside, which every
 * relay can read, is replaced by an obscured one. Decryption puts the inner fields back (see
 * {@link MimeEntities#withInnerEntity}).
 *
 * @param enabled      false: encrypt the content entity alone and leave the outer Subject as it is
 * @param outerSubject what relays see as Subject when enabled (RFC 9788 suggests {@code [...]})
 */
public record HeaderProtection(boolean enabled, String outerSubject) {
    public static final String DEFAULT_OUTER_SUBJECT = "...";
    public static final HeaderProtection OFF = new HeaderProtection(false, "");
    public static final HeaderProtection DEFAULT = new HeaderProtection(true, DEFAULT_OUTER_SUBJECT);

    /** The fields copied into the encrypted entity: what a reader sees and what a reply needs. */
    static final Set<String> PROTECTED = Set.of("subject", "from", "to", "cc", "reply-to", "date", "message-id",
        "in-reply-to", "references");

    /**
     * The fields an unwrapped (decrypted or opaque-signed) entity may set on the message the recipient sees: the
     * user-facing fields of RFC 9788 plus Keywords and Comments. Trace fields (Received, Return-Path),
     * authentication results (Authentication-Results, DKIM-Signature, ARC-*), Sender and our own X-Sealgate-*
     * markers are never taken from inside: the sender controls the inside, the gateway vouches for the rest.
     */
    static final Set<String> REPLACEABLE_FROM_INSIDE = Set.of("subject", "from", "to", "cc", "reply-to", "date",
        "message-id", "in-reply-to", "references", "keywords", "comments");

    /**
     * Fields that, once the unwrapped entity carries any protected field (the sender protects its headers), count
     * only from inside: an outer Reply-To next to signed or encrypted headers would send the reply elsewhere.
     */
    static final Set<String> ONLY_FROM_INSIDE = Set.of("reply-to");

    /** Does this header block of an unwrapped entity carry protected fields (RFC 9788 header protection)? */
    static boolean carriesProtectedFields(List<String> innerHeaderLines) {
        return innerHeaderLines.stream()
            .anyMatch(line -> REPLACEABLE_FROM_INSIDE.contains(MimeEntities.headerName(line).toLowerCase(Locale.ROOT)));
    }

    /** May this header line of an unwrapped entity replace the outer field (content headers always do)? */
    static boolean replaceableFromInside(String headerLine) {
        String name = MimeEntities.headerName(headerLine).toLowerCase(Locale.ROOT);
        return name.startsWith("content-") || REPLACEABLE_FROM_INSIDE.contains(name);
    }

    public HeaderProtection {
        Objects.requireNonNull(outerSubject, "outerSubject");
        if (outerSubject.contains("\r") || outerSubject.contains("\n")) {
            throw new IllegalArgumentException("the outer subject must be one line");
        }
    }

    /** The protected copies of the outer fields, to be put in front of the content headers of the inner entity. */
    List<String> innerHeaderLines(List<String> outerNonContentLines) {
        if (!enabled) {
            return List.of();
        }
        return outerNonContentLines.stream()
            .filter(line -> PROTECTED.contains(MimeEntities.headerName(line).toLowerCase(Locale.ROOT)))
            .toList();
    }

    /** The inner entity's content headers, with {@code hp="cipher"} on its Content-Type when enabled. */
    List<String> innerContentLines(List<String> contentLines) {
        if (!enabled) {
            return contentLines;
        }
        List<String> lines = new ArrayList<>();
        for (String line : contentLines) {
            lines.add(MimeEntities.headerName(line).equalsIgnoreCase("Content-Type") ? line + "; hp=\"cipher\"" : line);
        }
        return lines;
    }

    /** The headers left outside: everything as it was, except an obscured Subject. */
    List<String> outerLines(List<String> outerNonContentLines) {
        if (!enabled) {
            return outerNonContentLines;
        }
        List<String> lines = new ArrayList<>();
        boolean hadSubject = false;
        for (String line : outerNonContentLines) {
            if (MimeEntities.headerName(line).equalsIgnoreCase("Subject")) {
                if (!hadSubject) {
                    lines.add("Subject: " + outerSubject);
                }
                hadSubject = true;
            } else {
                lines.add(line);
            }
        }
        if (!hadSubject) {
            lines.add("Subject: " + outerSubject);
        }
        return lines;
    }
}
