package org.sealgate.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.sealgate.held.HeldMailKey;
import org.sealgate.held.HeldMailStore;
import org.sealgate.held.HeldMailStores;

/**
 * Which key seals a node's held mail: derived from the cluster master key when the node has one ({@code zk.master-key},
 * a cluster node), else from the node's own {@code DATA/secrets/held-mail.key} (made on first start, mode 0600).
 * The node and {@code sealgate mail held} both choose here, so they always agree.
 */
public final class HeldMailKeys {
    public static final String LOCAL_KEY_FILE = "secrets/held-mail.key";

    private HeldMailKeys() {
    }

    /**
     * @param create make the local key file when there is neither it nor a master key (the node does; the CLI
     *               does not, it reports instead)
     */
    public static HeldMailKey forNode(NodeLayout layout, boolean create) throws IOException {
        if (!Files.exists(layout.data().resolve(NodeSettings.FILE_NAME))) {
            throw new IOException(layout.data() + " is not a node's data directory (no " + NodeSettings.FILE_NAME
                + "): give the node's directory with --data DIR");
        }
        Optional<ClusterSettings> cluster = ClusterSettings.load(layout.data());
        if (cluster.isPresent() && Files.exists(cluster.get().masterKey())) {
            return HeldMailKey.fromFile(cluster.get().masterKey());
        }
        Path local = layout.data().resolve(LOCAL_KEY_FILE);
        if (!create && !Files.exists(local)) {
            throw new IOException(local + " does not exist and there is no cluster master key: this data directory has"
                + " no held mail (has a node ever run with --data " + layout.data() + "?)");
        }
        return HeldMailKey.loadOrCreate(local);
    }

    /**
     * The node's store: sealing under {@link #forNode}; a local key file left from before the node had a cluster
     * master key still opens what it sealed (release, show, delete, expiry all keep working).
     */
    public static HeldMailStore store(NodeLayout layout, boolean create) throws IOException {
        HeldMailKey key = forNode(layout, create);
        Path local = layout.data().resolve(LOCAL_KEY_FILE);
        List<HeldMailKey> earlier = new ArrayList<>();
        if (Files.exists(local)) {
            HeldMailKey localKey = HeldMailKey.fromFile(local);
            if (!localKey.keyId().equals(key.keyId())) {
                earlier.add(localKey);
            }
        }
        return HeldMailStores.open(layout.held(), key, earlier);
    }
}
