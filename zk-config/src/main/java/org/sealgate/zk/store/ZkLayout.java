package org.sealgate.zk.store;

import java.util.Locale;

/**
 * Where things live, relative to the chroot (Curator namespace, e.g. {@code sealgate}). The history node names
 * are the configuration version zero-padded to ten digits, so they sort by name and by number alike; we name them
 * ourselves instead of using {@code PERSISTENT_SEQUENTIAL} so that the name IS the version (a sequential counter
 * also counts deletions and would drift from the {@code /config} data version).
 */
public final class ZkLayout {
    /** The current document, raw YAML bytes; its ZooKeeper data version is the configuration version. */
    public static final String CONFIG = "/config";
    /** One child per applied version: author, hash and the document itself. */
    public static final String HISTORY = CONFIG + "/history";

    private ZkLayout() {
    }

    public static String historyPath(int version) {
        return HISTORY + "/" + String.format(Locale.ROOT, "%010d", version);
    }
}
