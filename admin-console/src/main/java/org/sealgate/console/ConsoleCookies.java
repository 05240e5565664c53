package org.sealgate.console;

import java.time.Duration;

import org.eclipse.jetty.http.HttpCookie;

/**
 * The console's two cookies, both {@code __Host-} prefixed (Secure, Path=/, no Domain), HttpOnly and
 * SameSite=Strict: the session id, and before login a random anti-CSRF value the login form echoes (double
 * submit). Neither is ever logged.
 */
final class ConsoleCookies {
    static final String SESSION = "__Host-sealgate-console";
    static final String PRE_SESSION = "__Host-sealgate-console-pre";

    private ConsoleCookies() {
    }

    static HttpCookie session(String id, Duration maxAge) {
        return base(SESSION, id).maxAge(maxAge.toSeconds()).build();
    }

    static HttpCookie preSession(String value) {
        return base(PRE_SESSION, value).build();
    }

    static HttpCookie expired(String name) {
        return base(name, "").maxAge(0).build();
    }

    private static HttpCookie.Builder base(String name, String value) {
        return HttpCookie.build(name, value).path("/").secure(true).httpOnly(true).sameSite(HttpCookie.SameSite.STRICT);
    }
}
