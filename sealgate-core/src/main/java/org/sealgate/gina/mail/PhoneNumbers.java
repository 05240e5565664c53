package org.sealgate.gina.mail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recipients' mobile numbers as a trusted sender gives them in {@code X-Sealgate-Gina-Phone}, so the first password
 * of a new GINA account can go by SMS:
 * <pre>
 * X-Sealgate-Gina-Phone: carol@partner.example=+41 79 123 45 67, dave@other.example=+4915112345678
 * X-Sealgate-Gina-Phone: +41 79 123 45 67          (a bare number: only for a mail with one recipient)
 * </pre>
 * Numbers are international ({@code +} and 8 to 15 digits; spaces, dashes, dots and parentheses are dropped).
 * What does not parse is ignored: that recipient's first password goes to the sender instead.
 */
public final class PhoneNumbers {
    public static final String HEADER = "X-Sealgate-Gina-Phone";
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");

    private PhoneNumbers() {
    }

    /** The number for each recipient address (lower case) the header names; a bare number needs one recipient. */
    public static Map<String, String> parse(String header, List<String> recipients) {
        Map<String, String> numbers = new LinkedHashMap<>();
        if (header == null) {
            return numbers;
        }
        for (String entry : header.split("[,;]")) {
            String item = entry.strip();
            int eq = item.indexOf('=');
            if (eq > 0) {
                String address = item.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                normalize(item.substring(eq + 1)).ifPresent(number -> numbers.put(address, number));
            } else if (!item.isEmpty() && recipients.size() == 1) {
                normalize(item).ifPresent(number -> numbers.put(recipients.get(0).toLowerCase(Locale.ROOT), number));
            }
        }
        return numbers;
    }

    public static Optional<String> normalize(String number) {
        String compact = number.strip().replaceAll("[\\s().-]", "");
        if (compact.startsWith("00")) {
            compact = "+" + compact.substring(2);
        }
        return E164.matcher(compact).matches() ? Optional.of(compact) : Optional.empty();
    }

    /** For audit lines and the sender's notice: {@code +41******67}; the whole number is personal data. */
    public static String masked(String number) {
        if (number.length() <= 5) {
            return "***";
        }
        return number.substring(0, 3) + "*".repeat(number.length() - 5) + number.substring(number.length() - 2);
    }
}
