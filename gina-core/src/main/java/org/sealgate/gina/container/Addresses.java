package org.sealgate.gina.container;

import java.util.Locale;

/**
 * GINA's account keys: the gateway's one address rule ({@code org.sealgate.keys.Addresses} in sealgate-core, which
 * sits above this module: trimmed, angle brackets dropped, the whole address lower-cased with {@link Locale#ROOT}),
 * and a refusal of anything that is not a mailbox, since an account needs one. sealgate-core's AddressRulesTest
 * holds the two to the same answers.
 */
public final class Addresses {
    private Addresses() {
    }

    public static String normalise(String address) {
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
