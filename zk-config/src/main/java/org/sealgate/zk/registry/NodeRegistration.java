package org.sealgate.zk.registry;

import java.io.Closeable;

/**
 * A node's entry in the registry: an ephemeral {@code /nodes/<id>} holding its {@link NodeStatus}, kept there by a
 * small recipe (create with {@link NodeRegistry#register}, {@link #start()} once, {@link #close()} idempotent).
 * The entry is re-created after a session loss and when it is deleted, and rewritten when the status changes
 * (checked every refresh interval and on {@link #refresh()}). Closing ends nothing but the recipe: the entry goes
 * when the client's session ends (the node has no DELETE right on {@code /nodes}).
 */
public interface NodeRegistration extends Closeable {

    enum State { LATENT, STARTED, CLOSED }

    void start();

    /** Publishes the current status soon (e.g. after a configuration change), without waiting for the next tick. */
    void refresh();

    /** True while our entry exists in ZooKeeper as last checked, owned by our session. */
    boolean isRegistered();

    State state();

    @Override
    void close();
}
