package org.sealgate.zk.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Id;
import org.sealgate.zk.store.ConfigAccessDeniedException;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.ZkLayout;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The node registry under {@code /nodes}: registrations for nodes, reading for {@code cluster status}. */
public final class NodeRegistry {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);

    private NodeRegistry() {
    }

    /**
     * @param client a node's client (its identity may create in {@code /nodes})
     * @param node   the node's digest identity, given READ|WRITE on its own entry
     * @param status called on every refresh; must be cheap
     */
    public static NodeRegistration register(CuratorFramework client, Id node, String nodeId, Supplier<NodeStatus> status,
                                            Duration refresh) {
        return register(client, node, nodeId, status, refresh, Optional.empty());
    }

    /**
     * As above, and the same status is also kept in a node-local file (written when it changes, whether or not
     * ZooKeeper can be reached), so an operator on the node sees it while the registry cannot be written.
     */
    public static NodeRegistration register(CuratorFramework client, Id node, String nodeId, Supplier<NodeStatus> status,
                                            Duration refresh, Optional<Path> localStatus) {
        if (!nodeId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("node id '" + nodeId + "' is not a plain name ([A-Za-z0-9._-], up to 63)");
        }
        return new NodeRegistrationImpl(client, node, ZkLayout.child(ZkLayout.NODES, nodeId), status, refresh, localStatus);
    }

    /** A node's local status file, as {@link #register} with a local status writes it; empty when there is none. */
    public static Optional<NodeStatus> readLocal(Path localStatus) throws IOException {
        return Files.exists(localStatus) ? Optional.of(JSON.readValue(localStatus.toFile(), NodeStatus.class)) : Optional.empty();
    }

    /** Every registered node, ordered by id; an entry that is not valid JSON is shown with its problem as health. */
    public static List<NodeStatus> read(CuratorFramework client) throws ConfigStoreException {
        List<String> children;
        try {
            children = new ArrayList<>(client.getChildren().forPath(ZkLayout.NODES));
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (KeeperException.NoAuthException e) {
            throw new ConfigAccessDeniedException("reading " + ZkLayout.NODES + " is not allowed for this identity", e);
        } catch (Exception e) {
            throw new ConfigStoreException("cannot list " + ZkLayout.NODES + ": " + e, e);
        }
        children.sort(null);
        List<NodeStatus> nodes = new ArrayList<>();
        for (String child : children) {
            try {
                nodes.add(JSON.readValue(client.getData().forPath(ZkLayout.child(ZkLayout.NODES, child)), NodeStatus.class));
            } catch (KeeperException.NoNodeException e) {
                // went away between listing and reading: the node stopped
            } catch (IOException e) {
                nodes.add(new NodeStatus(child, List.of(), "?", 0, null, "unreadable registry entry: " + e.getMessage(), null));
            } catch (Exception e) {
                throw new ConfigStoreException("cannot read the registry entry of " + child + ": " + e, e);
            }
        }
        return nodes;
    }
}
