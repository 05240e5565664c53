package org.sealgate.revocation;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * How CRLs and OCSP answers travel: one HTTP(S) exchange, bounded in time and size, no redirects. A node carries
 * them through its Camel routes (camel-routes owns every conversation with the outside world); the CLI and the
 * core tests use {@link #direct()}. Implementations are thread-safe and never take longer than {@code timeout}
 * (plus a read timeout's worth at most) nor keep more than {@code maxBytes}.
 */
public interface RevocationTransport {

    /** A GET of a CRL distribution point; the answer's bytes, or why not (HTTP status, size, time). */
    byte[] get(URI uri, Duration timeout, int maxBytes) throws IOException;

    /** A POST to an OCSP responder; the answer's bytes, or why not. */
    byte[] post(URI uri, String contentType, byte[] body, Duration timeout, int maxBytes) throws IOException;

    /** Plain JDK HTTP in the calling thread ({@link BoundedHttp}). */
    static RevocationTransport direct() {
        return new RevocationTransport() {
            @Override
            public byte[] get(URI uri, Duration timeout, int maxBytes) throws IOException {
                return BoundedHttp.get(uri, timeout, maxBytes);
            }

            @Override
            public byte[] post(URI uri, String contentType, byte[] body, Duration timeout, int maxBytes)
                    throws IOException {
                return BoundedHttp.post(uri, contentType, body, timeout, maxBytes);
            }
        };
    }
}
