package org.sealgate.routes.revocation;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.sealgate.revocation.RevocationTransport;

/**
 * {@link RevocationTransport} through the revocation routes. The caller waits at most the exchange's timeout plus
 * {@link #GRACE}, whatever happens inside the route: a mail is never held longer by a stuck exchange.
 */
public final class CamelRevocationTransport implements RevocationTransport {
    /** Past the HTTP leg's own bound: time for the route to hand the answer back. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private final ProducerTemplate template;

    private CamelRevocationTransport(ProducerTemplate template) {
        this.template = template;
    }

    /** Adds the routes to {@code camel} (once per context) with {@code http} as their HTTP leg. */
    public static CamelRevocationTransport start(CamelContext camel, RevocationTransport http) {
        try {
            camel.addRoutes(new RevocationRoutes(http));
        } catch (Exception e) {
            // Boundary: addRoutes declares Exception.
            throw new IllegalStateException("cannot start the revocation routes: " + e.getMessage(), e);
        }
        return new CamelRevocationTransport(camel.createProducerTemplate());
    }

    @Override
    public byte[] get(URI uri, Duration timeout, int maxBytes) throws IOException {
        return exchange(RevocationRoutes.CRL, new RevocationRequest(uri, null, null, timeout, maxBytes));
    }

    @Override
    public byte[] post(URI uri, String contentType, byte[] body, Duration timeout, int maxBytes) throws IOException {
        return exchange(RevocationRoutes.OCSP, new RevocationRequest(uri, contentType, body.clone(), timeout, maxBytes));
    }

    private byte[] exchange(String endpoint, RevocationRequest request) throws IOException {
        CompletableFuture<Object> answer = template.asyncRequestBody(endpoint, request);
        Object body;
        try {
            body = answer.get(request.timeout().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new IOException("answer from " + request.uri() + " took longer than " + request.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause() == null ? e.toString() : e.getCause().getMessage(), e.getCause());
        }
        if (body instanceof RevocationFailure failure) {
            throw new IOException(failure.reason());
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        throw new IOException("the revocation route answered " + (body == null ? "nothing" : body.getClass().getSimpleName()));
    }
}
