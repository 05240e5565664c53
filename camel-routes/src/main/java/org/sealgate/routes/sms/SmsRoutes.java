package org.sealgate.routes.sms;

import org.apache.camel.builder.RouteBuilder;

/**
 * Wiring only: {@code direct:gina-sms} → {@link SmsRequests} → POST to the configured SMS gateway. No error
 * handler and no redelivery here: the caller ({@link CamelSmsGateway}) gets the failure at once and falls back to
 * the sender mail; nothing on this route logs the message (it holds a first password).
 */
public final class SmsRoutes extends RouteBuilder {
    public static final String ENDPOINT = "direct:gina-sms";

    private final SmsSettings settings;

    public SmsRoutes(SmsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void configure() {
        String url = settings.url().toString();
        String options = "httpMethod=POST&throwExceptionOnFailure=true&skipResponseHeaders=true";
        from(ENDPOINT).routeId("gina-sms")
            .errorHandler(noErrorHandler())
            .process(new SmsRequests(settings)::prepare)
            .to(url + (url.contains("?") ? "&" : "?") + options);
    }
}
