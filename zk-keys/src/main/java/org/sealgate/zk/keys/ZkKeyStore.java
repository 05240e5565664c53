package org.sealgate.zk.keys;

import java.io.Closeable;
import java.time.Duration;

/**
 * The lifecycle both ZooKeeper key stores share ({@link ZkKeyDirectory} for S/MIME, {@link ZkPgpKeyDirectory} for
 * OpenPGP), built like a Curator recipe: create with the factory ({@link ZkKeyDirectories},
 * {@link ZkPgpKeyDirectories}), {@link #start()} once, {@link #close()} when done (idempotent). Both are held in
 * memory by one {@code KeyEntryCache} each, so every look-up is local and every change made anywhere reaches every
 * node; a node keeps a local copy of the raw entries (sealed keys stay sealed) to start from without ZooKeeper.
 */
public interface ZkKeyStore extends Closeable {

    enum State { LATENT, STARTED, CLOSED }

    /** Where the entries in use come from. */
    enum Source { NONE, LOCAL_COPY, ZOOKEEPER }

    /** Loads the local copy (if any) and starts the cache; does not wait for ZooKeeper. */
    void start();

    /** Waits until the cache holds what ZooKeeper has; false if that did not happen in time. */
    boolean awaitInitialized(Duration timeout) throws InterruptedException;

    Source source();

    /** One line for health output, e.g. {@code keys from ZooKeeper: 2 certificates, 1 managed, 1 anchor, 0 CRLs}. */
    String describe();

    State state();

    @Override
    void close();
}
