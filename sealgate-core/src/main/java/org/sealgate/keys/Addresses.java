package org.sealgate.keys;

import java.util.Locale;

/** E-mail address normalisation used for every key look-up. */
public final class Addresses {
    private Addresses() {
    }

    /** Trims and lower-cases the whole address: look-ups are case-insensitive (RFC 5321 local parts rarely differ by case). */
    public static String normalise(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address is empty");
        }
        String trimmed = address.trim();
        if (trimmed.startsWith("<") && trimmed.endsWith(">")) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }

    public static String domainOf(String address) {
        String normalised = normalise(address);
        int at = normalised.lastIndexOf('@');
        return at < 0 ? "" : normalised.substring(at + 1);
    }
}
