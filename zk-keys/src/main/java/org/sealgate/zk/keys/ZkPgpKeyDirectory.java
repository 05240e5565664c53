package org.sealgate.zk.keys;

import org.sealgate.pgp.PgpKeyDirectory;

/**
 * The cluster's {@link PgpKeyDirectory} in ZooKeeper ({@code /keys/pgp}), children named by key fingerprint:
 * {@code public/} (imported, admin only), {@code harvested/} (nodes may only create) and {@code secret/} (the
 * OpenPGP key packets and their passphrase sealed together with {@link ClusterMasterKey}, AES-256-GCM, bound to the
 * znode name). The twin of {@link ZkKeyDirectory}: held in memory by a {@code CuratorCache} (entries parsed once per
 * znode version), a local copy on nodes (secret keys stay sealed), the same lifecycle ({@link ZkKeyStore}); create
 * with {@link ZkPgpKeyDirectories}.
 * <p>
 * On a node, harvesting ({@link #addPublicKey} with {@code HARVESTED}) never blocks or fails a mail: the key is usable
 * on this node at once and written to {@code /keys/pgp/harvested} in the background (retried after a reconnection),
 * unless another key already names one of its addresses. Other writes need the admin identity; ZooKeeper refuses
 * them to nodes ({@link KeyStoreException#accessDenied()}).
 */
public interface ZkPgpKeyDirectory extends PgpKeyDirectory, ZkKeyStore {
}
