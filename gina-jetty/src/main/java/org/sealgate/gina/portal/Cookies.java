package org.sealgate.gina.portal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.eclipse.jetty.http.HttpCookie;

/**
 * The portal's two cookies, both {@code __Host-} prefixed (Secure, Path=/, no Domain), HttpOnly and
 * SameSite=Strict: the sealed session token, and before login a random anti-CSRF value that the login,
 * registration and reset forms echo (double submit). Neither is ever logged.
 */
final class Cookies {
    static final String SESSION = "__Host-gina-session";
    static final String PRE_SESSION = "__Host-gina-pre";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Cookies() {
    }

    static HttpCookie session(String token) {
        return base(SESSION, token).build();
    }

    static HttpCookie preSession(String value) {
        return base(PRE_SESSION, value).build();
    }

    static HttpCookie expired(String name) {
        return base(name, "").maxAge(0).build();
    }

    static String randomValue() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Constant-time equality of a form's echo and the expected value; absent values never match. */
    static boolean matches(String expected, String actual) {
        if (expected == null || actual == null || expected.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpCookie.Builder base(String name, String value) {
        return HttpCookie.build(name, value).path("/").secure(true).httpOnly(true).sameSite(HttpCookie.SameSite.STRICT);
    }
}
