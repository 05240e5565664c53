package org.sealgate.zk.keys;

import org.sealgate.keys.discovery.DiscoveredKeyStore;

/**
 * The cluster's discovered keys in ZooKeeper ({@code /keys/discovered}), so a key one node found is used by every
 * node without asking the source again. Reads come from a {@code CuratorCache} (a mail never waits for ZooKeeper);
 * on a node {@link #store} is asynchronous: the key is usable here at once and written in the background (merged
 * with what ZooKeeper holds, retried after a reconnection). Create with {@link ZkDiscoveredKeyStores},
 * {@link #start()} once, {@link #close()} when done. Entries are only candidates: every use re-validates them.
 */
public interface ZkDiscoveredKeyStore extends DiscoveredKeyStore, ZkKeyStore {
}
