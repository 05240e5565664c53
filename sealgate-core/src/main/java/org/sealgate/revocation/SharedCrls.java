package org.sealgate.revocation;

import java.net.URI;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * CRLs fetched by one node and offered to the others (in a cluster: ZooKeeper), so that every node sees a new CRL
 * after one fetch anywhere. What comes from here is untrusted input: {@link CrlCache} adopts a shared CRL only after
 * the checks a fetched one passes (issuer, signature, freshness, not older than the one held). Implementations never
 * block a mail: {@link #latest} reads a local copy, {@link #publish} hands off and returns.
 */
public interface SharedCrls {

    /**
     * Offers the CRL (raw DER) from {@code uri} to the other nodes. {@code replacing} is the shared CRL the caller
     * saw and judged older or refused (empty when it saw none): that one is replaced whatever it claims; any other
     * shared CRL only when it is older by {@code thisUpdate}, so a node whose copy lagged cannot roll back a newer
     * CRL another node published meanwhile. Best effort, never throws, never waits.
     */
    void publish(URI uri, byte[] der, Optional<byte[]> replacing);

    /** The CRL from {@code uri} as last shared, from a local copy (no waiting). */
    Optional<byte[]> latest(URI uri);

    /** {@code listener} is told of every shared CRL that arrives or changes: its URI and raw bytes. */
    void listen(BiConsumer<URI, byte[]> listener);

    /** Nothing shared: a standalone node, the CLI, tests. */
    SharedCrls NONE = new SharedCrls() {
        @Override
        public void publish(URI uri, byte[] der, Optional<byte[]> replacing) {
            // nobody to share with
        }

        @Override
        public Optional<byte[]> latest(URI uri) {
            return Optional.empty();
        }

        @Override
        public void listen(BiConsumer<URI, byte[]> listener) {
            // nothing will arrive
        }
    };
}
