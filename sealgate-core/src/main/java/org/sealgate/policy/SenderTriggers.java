package org.sealgate.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the sender asked for in the subject ({@code [secure]}, {@code [confidential]}, {@code [plain]},
 * {@code [sign]}; the keywords are the sender's policy settings) or in an {@code X-Sealgate-Encrypt: yes|no}
 * header, and the subject with every keyword removed. Encrypt beats plain when both are given.
 *
 * @param encrypt   the sender forces encryption (required) for every recipient
 * @param plain     the sender asks for no encryption (honoured only where policy allows, see the engine)
 * @param sign      the sender asks for a signature
 * @param subject   the subject without trigger keywords (whitespace tidied), or the original when none was found
 * @param found     what was found, in words, e.g. {@code [secure] in subject}
 */
public record SenderTriggers(boolean encrypt, boolean plain, boolean sign, String subject, List<String> found) {

    public static final String HEADER = "X-Sealgate-Encrypt";

    public SenderTriggers {
        found = List.copyOf(found);
    }

    public static SenderTriggers read(String subject, Optional<String> encryptHeader, PolicySettings sender) {
        List<String> found = new ArrayList<>();
        String remaining = subject == null ? "" : subject;
        boolean changed = false;
        boolean[] flags = new boolean[3];
        Setting[] triggers = {Setting.TRIGGER_ENCRYPT, Setting.TRIGGER_PLAIN, Setting.TRIGGER_SIGN};
        for (int t = 0; t < triggers.length; t++) {
            for (String keyword : sender.keywords(triggers[t])) {
                String removed = removeIgnoringCase(remaining, keyword);
                if (!removed.equals(remaining)) {
                    flags[t] = true;
                    changed = true;
                    found.add(keyword + " in subject");
                    remaining = removed;
                }
            }
        }
        if (encryptHeader.isPresent()) {
            String value = encryptHeader.get().trim().toLowerCase(Locale.ROOT);
            switch (value) {
                case "yes" -> flags[0] = true;
                case "no" -> flags[1] = true;
                default -> { }
            }
            found.add(HEADER + ": " + value + (value.equals("yes") || value.equals("no") ? "" : " (ignored: not yes or no)"));
        }
        String cleaned = changed ? remaining.replaceAll("\\s{2,}", " ").trim() : (subject == null ? "" : subject);
        return new SenderTriggers(flags[0], flags[1] && !flags[0], flags[2], cleaned, found);
    }

    private static String removeIgnoringCase(String text, String keyword) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.regionMatches(true, i, keyword, 0, keyword.length())) {
                i += keyword.length();
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    /** A short description for reasons: {@code [secure] in subject}, or the header. */
    String cause() {
        return String.join(", ", found);
    }
}
