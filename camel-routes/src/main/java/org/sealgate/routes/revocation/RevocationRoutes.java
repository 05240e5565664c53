package org.sealgate.routes.revocation;

import org.apache.camel.builder.RouteBuilder;
import org.sealgate.revocation.RevocationTransport;

/**
 * The node's revocation conversations with the outside world: {@code direct:revocation-crl} (GET of a CRL
 * distribution point) and {@code direct:revocation-ocsp} (POST to an OCSP responder). The body in is a
 * {@link RevocationRequest}, the body out the answer's bytes. The HTTP leg is bounded in time and size and follows
 * no redirect ({@code http}); every failure is handled here, once, and goes back as a {@link RevocationFailure}
 * (never retried: a revocation source that failed is asked again only after the cache's back-off).
 */
final class RevocationRoutes extends RouteBuilder {
    static final String CRL = "direct:revocation-crl";
    static final String OCSP = "direct:revocation-ocsp";

    private final RevocationTransport http;

    RevocationRoutes(RevocationTransport http) {
        this.http = http;
    }

    @Override
    public void configure() {
        onException(Exception.class)
            .handled(true)
            .process(exchange -> {
                Exception cause = exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class);
                exchange.getMessage().setBody(RevocationFailure.of(cause));
            });

        from(CRL)
            .routeId("revocation-crl")
            .process(exchange -> {
                RevocationRequest request = exchange.getMessage().getBody(RevocationRequest.class);
                exchange.getMessage().setBody(http.get(request.uri(), request.timeout(), request.maxBytes()));
            });

        from(OCSP)
            .routeId("revocation-ocsp")
            .process(exchange -> {
                RevocationRequest request = exchange.getMessage().getBody(RevocationRequest.class);
                exchange.getMessage().setBody(http.post(request.uri(), request.contentType(), request.body(),
                    request.timeout(), request.maxBytes()));
            });
    }
}
