package org.sealgate.gina.portal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.http.HttpCookie;

/** What a flow answers; {@link PortalHandler} writes it with the security headers every response carries. */
final class PortalResponse {
    final int status;
    final String contentType;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();
    final List<HttpCookie> cookies = new ArrayList<>();

    private PortalResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    static PortalResponse html(int status, String html) {
        return new PortalResponse(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    static PortalResponse text(int status, String text) {
        return new PortalResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static PortalResponse bytes(String contentType, byte[] body) {
        return new PortalResponse(200, contentType, body);
    }

    PortalResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    PortalResponse cookie(HttpCookie cookie) {
        cookies.add(cookie);
        return this;
    }
}
