package org.sealgate.zk.revocation;

import org.sealgate.revocation.SharedCrls;

/**
 * The cluster's fetched CRLs in ZooKeeper ({@code /revocation/crls}), watched through a Curator cache so that a
 * check reads a local copy and never waits for ZooKeeper. Lifecycle: latent → started → closed; {@link #close()} is
 * idempotent; before {@link #start()} and after {@link #close()} it shares nothing.
 */
public interface SharedCrlFolder extends SharedCrls, AutoCloseable {

    void start();

    @Override
    void close();
}
