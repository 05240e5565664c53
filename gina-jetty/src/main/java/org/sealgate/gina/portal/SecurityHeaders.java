package org.sealgate.gina.portal;

import org.eclipse.jetty.http.HttpFields;

/**
 * The headers every answer of Sealgate's web front ends carries (the GINA portal and the admin console): a strict
 * CSP, no sniffing, no framing, no referrer, no caching. One place, so neither front end drifts laxer than the other.
 */
public final class SecurityHeaders {
    public static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    private SecurityHeaders() {
    }

    public static void apply(HttpFields.Mutable headers) {
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        headers.put("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        headers.put("Cache-Control", "no-store");
    }
}
