package org.sealgate.console;

import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.sealgate.zk.admin.ClusterHeldMail;
import org.sealgate.zk.admin.NodeAdminClient;

/**
 * Held mail of every registered node through its admin endpoint with the cluster admin token (the console runs as
 * the ZooKeeper admin identity, the only one that can read it); each call names the admin ({@code console:NAME})
 * for the node's audit trail. A node not reached is listed as such.
 */
final class ClusterHeld implements HeldMail {
    private final CuratorFramework zooKeeper;

    ClusterHeld(CuratorFramework zooKeeper) {
        this.zooKeeper = zooKeeper;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public String why() {
        return "";
    }

    @Override
    public Listing list() throws Exception {
        List<Item> items = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (ClusterHeldMail.NodeHeld node : new ClusterHeldMail(zooKeeper, "console").list()) {
            if (node.listing().isEmpty()) {
                unreachable.add(node.node() + ": " + node.problem().orElse("not reached"));
                continue;
            }
            for (NodeAdminClient.HeldItem mail : node.listing().get().mails()) {
                items.add(new Item(node.node(), mail.id(), mail.heldAt(), mail.sender().isEmpty() ? "<>" : mail.sender(),
                    mail.recipients(), mail.reason()));
            }
            node.listing().get().unreadable().forEach((id, problem) -> unreachable.add(node.node() + ": held mail " + id
                + " unreadable: " + problem));
        }
        return new Listing(items, unreachable);
    }

    @Override
    public Outcome release(String node, String id, String admin) throws Exception {
        return outcome(new ClusterHeldMail(zooKeeper, "console:" + admin).release(node, id), "released");
    }

    @Override
    public Outcome delete(String node, String id, String admin) throws Exception {
        return outcome(new ClusterHeldMail(zooKeeper, "console:" + admin).delete(node, id), "deleted");
    }

    private static Outcome outcome(NodeAdminClient.ActionResult result, String done) {
        return new Outcome(done.equals(result.outcome()), result.message());
    }
}
