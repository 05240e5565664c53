package org.sealgate.zk.keys;

import java.io.Closeable;
import java.time.Duration;

import org.sealgate.keys.KeyDirectory;

/**
 * The cluster's {@link KeyDirectory} in ZooKeeper ({@code /keys}), held in memory by a {@code CuratorCache} so that
 * every look-up is local and every change made anywhere reaches every node. Built like a Curator recipe: create with
 * {@link ZkKeyDirectories}, {@link #start()} once, {@link #close()} when done (idempotent).
 * <p>
 * On a node, {@link #addCertificate} (harvesting) is asynchronous and never blocks or fails a mail: the certificate
 * is usable on this node at once and written to {@code /keys/harvested} in the background (retried after a
 * reconnection). Other writes need the admin identity; ZooKeeper refuses them to nodes
 * ({@link KeyStoreException#accessDenied()}).
 */
public interface ZkKeyDirectory extends KeyDirectory, Closeable {

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
