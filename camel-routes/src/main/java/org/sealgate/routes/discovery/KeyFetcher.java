package org.sealgate.routes.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The one HTTPS GET the key sources (WKD, HKP/VKS) make: TLS 1.2+, no redirects (a key server cannot send us to a
 * host of its choosing), bounded in time and size.
 */
final class KeyFetcher {
    static final int MAX_ANSWER_BYTES = 256 * 1024;

    private final HttpClient client;

    KeyFetcher(SSLContext sslContext, Duration connectTimeout) {
        SSLParameters tls = sslContext.getDefaultSSLParameters();
        tls.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        this.client = HttpClient.newBuilder()
            .sslContext(sslContext)
            .sslParameters(tls)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connectTimeout)
            .build();
    }

    /**
     * The body of a 200 answer; null for 404 or an empty body (nothing published); IOException for anything else,
     * its message starting with {@code who} (e.g. the host, or empty when the caller names the server itself).
     */
    byte[] get(URI uri, Duration within, String who) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(within).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return null;
            }
            if (response.statusCode() != 200) {
                throw new IOException(who + "answered HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new IOException(who + "answered more than " + MAX_ANSWER_BYTES + " bytes");
            }
            return bytes.length == 0 ? null : bytes;
        }
    }
}
