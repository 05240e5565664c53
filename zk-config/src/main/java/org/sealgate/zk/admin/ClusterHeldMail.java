package org.sealgate.zk.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.sealgate.zk.registry.NodeRegistry;
import org.sealgate.zk.registry.NodeStatus;
import org.sealgate.zk.store.ConfigStoreException;

/**
 * Held mail across the cluster, for the console and {@code sealgate mail held --cluster}: every registered node's
 * admin endpoint (its address from the registry), called with the cluster admin token. A node that cannot be
 * reached is reported as such, never fatal for the others; each call is bounded ({@link NodeAdminClient}).
 */
public final class ClusterHeldMail {
    /** One node's answer: its listing, or why there is none. */
    public record NodeHeld(String node, Optional<NodeAdminClient.HeldListing> listing, Optional<String> problem) {
    }

    private final CuratorFramework admin;
    private final String caller;

    /** @param admin started client authenticated as the ZooKeeper admin identity */
    public ClusterHeldMail(CuratorFramework admin, String caller) {
        this.admin = admin;
        this.caller = caller;
    }

    public List<NodeHeld> list() throws ConfigStoreException, InterruptedException {
        NodeAdminClient client = client();
        List<NodeHeld> result = new ArrayList<>();
        for (NodeStatus node : NodeRegistry.read(admin)) {
            if (node.admin() == null) {
                result.add(new NodeHeld(node.id(), Optional.empty(), Optional.of("publishes no admin address")));
                continue;
            }
            try {
                result.add(new NodeHeld(node.id(), Optional.of(client.heldList(node.admin())), Optional.empty()));
            } catch (IOException | RuntimeException e) {
                result.add(new NodeHeld(node.id(), Optional.empty(), Optional.of(node.admin() + ": " + describe(e))));
            }
        }
        return result;
    }

    public String show(String nodeId, String id) throws IOException, ConfigStoreException, InterruptedException {
        return client().heldShow(address(nodeId), id);
    }

    public NodeAdminClient.ActionResult release(String nodeId, String id) throws IOException, ConfigStoreException,
        InterruptedException {
        return client().release(address(nodeId), id);
    }

    public NodeAdminClient.ActionResult delete(String nodeId, String id) throws IOException, ConfigStoreException,
        InterruptedException {
        return client().delete(address(nodeId), id);
    }

    /** The admin address the registry names for {@code nodeId}. */
    public String address(String nodeId) throws ConfigStoreException, IOException {
        for (NodeStatus node : NodeRegistry.read(admin)) {
            if (node.id().equals(nodeId)) {
                if (node.admin() == null) {
                    throw new IOException("node " + nodeId + " publishes no admin address (is it running?)");
                }
                return node.admin();
            }
        }
        throw new IOException("no node '" + nodeId + "' is registered (see 'sealgate cluster status')");
    }

    private NodeAdminClient client() throws ConfigStoreException {
        return new NodeAdminClient(ClusterAdminToken.readOrCreate(admin), caller);
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
    }
}
