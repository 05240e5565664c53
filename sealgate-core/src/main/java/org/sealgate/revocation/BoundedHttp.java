package org.sealgate.revocation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP(S) exchange bounded in size and time: no redirects (a distribution point names its own URL), no caches,
 * only http and https. The deadline is checked after every read, so a server dripping bytes is cut off at most one
 * read timeout after it.
 */
final class BoundedHttp {
    private BoundedHttp() {
    }

    static boolean fetchable(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    }

    static byte[] get(URI uri, Duration timeout, int maxBytes) throws IOException {
        return exchange(uri, null, null, timeout, maxBytes);
    }

    static byte[] post(URI uri, String contentType, byte[] body, Duration timeout, int maxBytes) throws IOException {
        return exchange(uri, contentType, body, timeout, maxBytes);
    }

    private static byte[] exchange(URI uri, String contentType, byte[] body, Duration timeout, int maxBytes)
            throws IOException {
        if (!fetchable(uri)) {
            throw new IOException("not an http(s) URI: " + uri);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int millis = (int) Math.max(1, timeout.toMillis());
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        try {
            connection.setConnectTimeout(millis);
            connection.setReadTimeout(millis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            // One exchange per connection: simple responders (openssl ocsp) answer HTTP/1.0 style.
            connection.setRequestProperty("Connection", "close");
            if (body != null) {
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", contentType);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int code = connection.getResponseCode();
            if (code != 200) {
                throw new IOException("HTTP " + code + " from " + uri);
            }
            long declared = connection.getContentLengthLong();
            if (declared > maxBytes) {
                throw new IOException("answer from " + uri + " is " + declared + " bytes, more than the limit of " + maxBytes);
            }
            try (InputStream in = connection.getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer)) != -1) {
                    out.write(buffer, 0, read);
                    if (out.size() > maxBytes) {
                        throw new IOException("answer from " + uri + " exceeds the limit of " + maxBytes + " bytes");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("answer from " + uri + " took longer than " + timeout);
                    }
                }
                return out.toByteArray();
            }
        } finally {
            connection.disconnect();
        }
    }
}
