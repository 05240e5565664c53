package org.sealgate.routes.discovery;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;

/**
 * One route per key source ({@code direct:key-discovery-NAME}): the body in is the address, the body out the
 * source's raw candidates. Errors go back to the caller, which turns them into a reason in the audit event.
 */
final class KeyDiscoveryRoutes extends RouteBuilder {
    static final String ENDPOINT_PREFIX = "direct:key-discovery-";

    private final List<KeySource> sources;

    KeyDiscoveryRoutes(List<KeySource> sources) {
        this.sources = List.copyOf(sources);
    }

    @Override
    public void configure() {
        for (KeySource source : sources) {
            from(ENDPOINT_PREFIX + source.name())
                .routeId("key-discovery-" + source.name())
                .process(exchange -> exchange.getMessage()
                    .setBody(source.fetch(exchange.getMessage().getBody(String.class))));
        }
    }
}
