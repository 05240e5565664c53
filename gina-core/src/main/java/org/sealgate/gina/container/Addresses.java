package org.sealgate.gina.container;

import java.util.Locale;

/** The one way GINA compares and stores e-mail addresses: trimmed, angle brackets dropped, lower case. */
public final class Addresses {
    private Addresses() {
    }

    public static String normalize(String address) {
        String a = address.strip();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1).strip();
        }
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1 || a.length() > 320 || a.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("not an e-mail address: '" + a + "'");
        }
        return a.toLowerCase(Locale.ROOT);
    }
}
