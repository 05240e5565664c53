package org.sealgate.keys;

import java.util.Locale;

/**
 * The one address rule of the gateway: every key look-up and index (S/MIME certificate addresses, OpenPGP user
 * IDs), policy user scope, policy decision and trust-anchor scope compares addresses in this form. The whole
 * address is compared case-insensitively, the local part included: RFC 5321 §2.4 lets a receiving system treat
 * local parts as case-sensitive, but no mail system in use does, and a key stored for {@code Ron@PGP.example} must
 * be found for {@code ron@pgp.example} (a case-sensitive local part would only let the same person appear as two).
 * Lower-casing uses {@link Locale#ROOT}, never the platform locale (Turkish dotless i). GINA accounts follow the
 * same rule ({@code org.sealgate.gina.container.Addresses}, a module that cannot depend on this one yet).
 */
public final class Addresses {
    private Addresses() {
    }

    /** Trims, drops enclosing angle brackets and lower-cases the whole address (see the class comment). */
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

    /** True when both are the same address under this rule. */
    public static boolean same(String one, String other) {
        return normalise(one).equals(normalise(other));
    }

    /** The normalised domain part; empty when there is no {@code @}. */
    public static String domainOf(String address) {
        String normalised = normalise(address);
        int at = normalised.lastIndexOf('@');
        return at < 0 ? "" : normalised.substring(at + 1);
    }
}
