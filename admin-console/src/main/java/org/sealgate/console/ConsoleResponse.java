package org.sealgate.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.http.HttpCookie;

/** What a flow answers; {@link ConsoleHandler} writes it with the security headers every response carries. */
final class ConsoleResponse {
    final int status;
    final String contentType;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();
    final List<HttpCookie> cookies = new ArrayList<>();

    private ConsoleResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    static ConsoleResponse html(int status, String html) {
        return new ConsoleResponse(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    static ConsoleResponse text(int status, String text) {
        return new ConsoleResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static ConsoleResponse bytes(String contentType, byte[] body) {
        return new ConsoleResponse(200, contentType, body);
    }

    /** 303 See Other: after a POST, and to the login page for a visitor without a session. */
    static ConsoleResponse redirect(String location) {
        return new ConsoleResponse(303, "text/plain; charset=utf-8", new byte[0]).header("Location", location);
    }

    ConsoleResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    ConsoleResponse cookie(HttpCookie cookie) {
        cookies.add(cookie);
        return this;
    }
}
