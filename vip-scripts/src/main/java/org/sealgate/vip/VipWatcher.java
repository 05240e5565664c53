package org.sealgate.vip;

import java.io.Closeable;
import java.util.OptionalInt;

/**
 * {@code sealgate vip watch}: keeps a node's {@code keepalived.conf} rendered from the cluster configuration in
 * force (re-rendered and keepalived reloaded when a new version changes it) and publishes the node's VRRP state as
 * an ephemeral {@code /vip/<node>} claim. Created by {@link VipWatchers}, {@link #start()} once, {@link #close()}
 * idempotent; closing leaves the rendered file as it is, and the claim goes with the client's session.
 */
public interface VipWatcher extends Closeable {

    enum State { LATENT, STARTED, CLOSED }

    void start();

    /** The configuration version last rendered to the file, empty before the first. */
    OptionalInt renderedVersion();

    /** The last rendering or reload problem, or null when the last attempt worked. */
    String problem();

    State state();

    @Override
    void close();
}
