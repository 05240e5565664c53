package org.sealgate.zk.keys;

import org.sealgate.keys.KeyDirectory;

/**
 * The cluster's {@link KeyDirectory} in ZooKeeper ({@code /keys}), held in memory by a {@code CuratorCache} so that
 * every look-up is local and every change made anywhere reaches every node. Built like a Curator recipe (see
 * {@link ZkKeyStore}): create with {@link ZkKeyDirectories}, {@link #start()} once, {@link #close()} when done.
 * <p>
 * On a node, {@link #addCertificate} (harvesting) is asynchronous and never blocks or fails a mail: the certificate
 * is usable on this node at once and written to {@code /keys/harvested} in the background (retried after a
 * reconnection). Other writes need the admin identity; ZooKeeper refuses them to nodes
 * ({@link KeyStoreException#accessDenied()}).
 */
public interface ZkKeyDirectory extends KeyDirectory, ZkKeyStore {
}
