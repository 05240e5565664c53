package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.sealgate.held.HeldMail;
import org.sealgate.zk.admin.ClusterHeldMail;
import org.sealgate.zk.admin.NodeAdminClient;
import org.sealgate.zk.store.ConfigStoreException;

/**
 * {@code sealgate mail held list --cluster} and {@code show|release|delete ID --node NODE}: held mail of every
 * node, through each node's admin endpoint (its address from the registry) with the cluster admin token, which
 * only the ZooKeeper admin identity can read. ZooKeeper as for the other cluster commands ({@link ZkTarget}).
 * Unreachable nodes are named; then the exit status is 1.
 */
final class MailClusterCommand {
    private MailClusterCommand() {
    }

    static int run(String action, Arguments arguments, PrintStream out, PrintStream err)
        throws IOException, InterruptedException, ConfigStoreException {
        try (AdminSession session = AdminSession.open(ZkTarget.from(arguments))) {
            ClusterHeldMail held = new ClusterHeldMail(session.client(), caller());
            if (action.equals("list")) {
                return list(held.list(), out, err);
            }
            String node = arguments.option("node").orElseThrow(() -> new Arguments.UsageException(
                action + " across the cluster needs --node ID (the node column of 'sealgate mail held list --cluster')"));
            String id = arguments.positional(2, "held mail id (see 'sealgate mail held list --cluster')");
            if (!HeldMail.isId(id)) {
                throw new Arguments.UsageException("'" + id + "' is not a held mail id (24 hex digits)");
            }
            try {
                switch (action) {
                    case "show" -> {
                        out.print(TerminalText.block(held.show(node, id)));
                        out.flush();
                        return 0;
                    }
                    case "release", "delete" -> {
                        NodeAdminClient.ActionResult result = action.equals("release") ? held.release(node, id) : held.delete(node, id);
                        out.println(node + ": " + TerminalText.line(result.message()));
                        return result.outcome().equals("released") || result.outcome().equals("deleted") ? 0 : 1;
                    }
                    default -> throw new Arguments.UsageException("unknown held action '" + action + "'");
                }
            } catch (NodeAdminClient.NodeAnswerException e) {
                throw new IOException("node " + node + ": " + e.getMessage()
                    + (e.status() == 404 ? " (is the id from this node? see 'sealgate mail held list --cluster')" : ""), e);
            }
        }
    }

    private static int list(List<ClusterHeldMail.NodeHeld> nodes, PrintStream out, PrintStream err) {
        if (nodes.isEmpty()) {
            err.println("sealgate: no node is registered in ZooKeeper (are the nodes running? 'sealgate cluster status')");
            return 1;
        }
        int unreachable = 0;
        int total = 0;
        for (ClusterHeldMail.NodeHeld node : nodes) {
            if (node.listing().isEmpty()) {
                unreachable++;
                err.println("sealgate: node " + node.node() + " not reached: " + TerminalText.line(node.problem().orElse("")));
                continue;
            }
            NodeAdminClient.HeldListing listing = node.listing().get();
            for (NodeAdminClient.HeldItem mail : listing.mails()) {
                total++;
                out.println(node.node() + "  " + mail.id() + "  " + mail.heldAt() + "  from "
                    + TerminalText.line(mail.sender().isEmpty() ? "<>" : mail.sender())
                    + "  to " + TerminalText.line(String.join(", ", mail.recipients())));
                out.println("    subject: " + TerminalText.line(mail.subject()));
                out.println("    reason:  " + TerminalText.line(mail.reason()));
            }
            for (Map.Entry<String, String> entry : listing.unreadable().entrySet()) {
                out.println(node.node() + "  " + entry.getKey() + "  unreadable: " + TerminalText.line(entry.getValue()));
            }
        }
        out.println(total + " held mail(s) on " + (nodes.size() - unreachable) + " of " + nodes.size() + " node(s)"
            + (unreachable > 0 ? "; " + unreachable + " not reached" : ""));
        return unreachable > 0 ? 1 : 0;
    }

    /** Who acts, for the nodes' audit trails: the operating system user running the CLI. */
    private static String caller() {
        String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        return "cli:" + (user.length() > 32 ? user.substring(0, 32) : user);
    }
}
