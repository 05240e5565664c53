package org.sealgate.gina.account;

import java.util.Optional;

/** What a recipient may give at registration for self-service reset: a question with its answer, a phone number. */
public record Recovery(Optional<String> question, Optional<String> answer, Optional<String> phone) {
    public static final Recovery NONE = new Recovery(Optional.empty(), Optional.empty(), Optional.empty());

    public Recovery {
        if (question.isPresent() != answer.isPresent()) {
            throw new IllegalArgumentException("a security question needs an answer and vice versa");
        }
    }

    /** Answers compare case- and space-insensitively: "  Paris " matches "paris". */
    static String normalizeAnswer(String answer) {
        return answer.strip().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
    }
}
