package org.sealgate.policy;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/**
 * Subject tags ({@code [signed OK]}, {@code [PGP OK]}, triggers such as {@code [plain]}) and {@code X-Sealgate-*}
 * header fields are the gateway's word to the recipient or commands to it. Arriving from outside they are
 * forgeries: this removes them before the gateway adds its own. Tags are matched after NFKC normalisation (full-width
 * brackets and letters), in any letter case and with any whitespace or invisible format characters inside, so a
 * look-alike written to fool the reader goes too. Homoglyphs from other scripts are not covered.
 */
public final class OwnMarks {
    /** Header fields starting with this (in any letter case) are ours alone. */
    public static final String HEADER_PREFIX = "X-Sealgate-";
    /** Tags a reader could take for the gateway's, whatever the configuration says (SmimeVerify, PgpVerify, SmimeDecrypt). */
    public static final List<String> BUILT_IN_TAGS = List.of("[signed OK]", "[signed INVALID]", "[PGP OK]",
        "[PGP UNTRUSTED]", "[PGP INVALID]", "[unauthenticated]", "[gina-reset]");
    private static final String GAP = "[\\s\\p{Cf}]*";
    /** Each pass removes at least one character; nested tags ("[signed [signed OK] OK]") need a few passes. */
    private static final int MAX_PASSES = 16;

    private OwnMarks() {
    }

    /** Tags as an init parameter lists them: separated by {@code |}; blanks ignored. */
    public static List<String> parseTags(String value) {
        List<String> tags = new ArrayList<>();
        for (String tag : value.split("\\|")) {
            if (!tag.isBlank()) {
                tags.add(tag.strip());
            }
        }
        return tags;
    }

    /** The tags a recipient's policy sets (verification tags) or obeys (trigger keywords). */
    public static Set<String> tagsOf(PolicySettings settings) {
        Set<String> tags = new LinkedHashSet<>();
        settings.validTag().ifPresent(tags::add);
        settings.invalidTag().ifPresent(tags::add);
        tags.addAll(settings.keywords(Setting.TRIGGER_ENCRYPT));
        tags.addAll(settings.keywords(Setting.TRIGGER_PLAIN));
        tags.addAll(settings.keywords(Setting.TRIGGER_SIGN));
        return tags;
    }

    /** The subject without any of the tags; unchanged (not even normalised) when none is found; null stays null. */
    public static String stripTags(String subject, Collection<String> tags) {
        if (subject == null || tags.isEmpty()) {
            return subject;
        }
        Pattern pattern = pattern(tags);
        String normalised = Normalizer.normalize(subject, Normalizer.Form.NFKC);
        String current = normalised;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            Matcher matcher = pattern.matcher(current);
            if (!matcher.find()) {
                break;
            }
            current = matcher.replaceAll(" ");
        }
        if (current.equals(normalised)) {
            return subject;
        }
        return current.replaceAll("[ \\t]{2,}", " ").strip();
    }

    /** True when the subject carries one of the tags (as {@link #stripTags} would find it). */
    public static boolean hasTag(String subject, Collection<String> tags) {
        return subject != null && !tags.isEmpty()
            && pattern(tags).matcher(Normalizer.normalize(subject, Normalizer.Form.NFKC)).find();
    }

    /** Removes every {@code X-Sealgate-*} field in any letter case; returns the names removed (without saving). */
    public static List<String> removeMarkerHeaders(MimeMessage message) throws MessagingException {
        Set<String> names = new LinkedHashSet<>();
        Enumeration<Header> headers = message.getAllHeaders();
        while (headers.hasMoreElements()) {
            String name = headers.nextElement().getName();
            if (name.regionMatches(true, 0, HEADER_PREFIX, 0, HEADER_PREFIX.length())) {
                names.add(name);
            }
        }
        for (String name : names) {
            message.removeHeader(name);
        }
        return List.copyOf(names);
    }

    /**
     * Compiled patterns by tag list: the same few tag sets (the policy's and the mailets' own) come with every mail,
     * and compiling the pattern was 1.4 % of an inbound node's CPU. Bounded: cleared when full (tags come from the
     * configuration, not from mail, so it never fills in practice).
     */
    private static final int MAX_PATTERNS = 256;
    private static final java.util.Map<List<String>, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Pattern pattern(Collection<String> tags) {
        List<String> key = List.copyOf(tags);
        Pattern cached = PATTERNS.get(key);
        if (cached != null) {
            return cached;
        }
        if (PATTERNS.size() >= MAX_PATTERNS) {
            PATTERNS.clear();
        }
        Pattern compiled = compile(tags);
        PATTERNS.put(key, compiled);
        return compiled;
    }

    private static Pattern compile(Collection<String> tags) {
        List<String> alternatives = new ArrayList<>();
        for (String tag : tags) {
            String normalised = Normalizer.normalize(tag, Normalizer.Form.NFKC).strip();
            if (normalised.isEmpty()) {
                continue;
            }
            StringBuilder regex = new StringBuilder();
            normalised.codePoints().filter(c -> !Character.isWhitespace(c)).forEach(c -> {
                if (regex.length() > 0) {
                    regex.append(GAP);
                }
                regex.append(Pattern.quote(new String(Character.toChars(c))));
            });
            alternatives.add(regex.toString());
        }
        return Pattern.compile(alternatives.isEmpty() ? "(?!)" : String.join("|", alternatives),
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
