package org.sealgate.delivery;

import java.util.Optional;

/**
 * Where mail leaving the gateway goes now ({@code host:port}), as the node's settings decide it: the cluster
 * document's {@code next-hop}, else {@code delivery.relay} of {@code sealgate.properties}. It can change while the
 * node runs; {@link LiveRemoteDelivery} follows it.
 */
public interface NextHop {
    /** The next hop in force; empty when the node has none (it then stores mail to files, the relays are unused). */
    Optional<String> current();

    /** Calls {@code listener} after each change of {@link #current()}; closing the result stops the calls. */
    AutoCloseable subscribe(Runnable listener);
}
