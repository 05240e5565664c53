package org.sealgate.zk.watch;

import java.io.Closeable;
import java.util.Optional;

import org.apache.curator.framework.listen.Listenable;

/**
 * A node's live view of the cluster configuration in ZooKeeper, built like a Curator recipe: create with
 * {@link ConfigWatchers}, {@link #start()} once, {@link #close()} when done (closing twice is harmless).
 * New versions are validated before they replace the snapshot; a version that does not validate is refused and
 * the previous snapshot stays in force. Each applied version is also saved to a local last-known-good file, from
 * which the watcher starts when ZooKeeper cannot be reached.
 */
public interface ConfigWatcher extends Closeable {

    enum State { LATENT, STARTED, CLOSED }

    /** Loads the last-known-good file and starts watching; does not wait for ZooKeeper. */
    void start();

    /** The configuration in force; read it once per mail and keep using that object. */
    Optional<ConfigSnapshot> current();

    ConfigHealth health();

    /** Listeners are called after the new snapshot is in force, on Curator's event thread unless given an executor. */
    Listenable<ConfigListener> listenable();

    State state();

    @Override
    void close();
}
