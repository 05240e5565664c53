package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.InvalidConfigException;
import org.sealgate.zk.config.NodeEntry;
import org.sealgate.zk.keys.ClusterMasterKey;
import org.sealgate.node.NodeLayout;
import org.sealgate.zk.registry.NodeRegistry;
import org.sealgate.zk.registry.NodeStatus;
import org.sealgate.zk.store.ConfigAccessDeniedException;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.StoredConfig;

/**
 * {@code sealgate cluster status [--zk CONNECT --admin-credentials FILE | --data DIR]}: the node registry as a table
 * (every running node, its role, addresses, configuration version in force and health; nodes the document lists
 * that are not running) and who holds the VIP, and {@code sealgate cluster new-master-key FILE}: a new cluster master key file (0600) to
 * hand to every node out of band. With {@code --data DIR} of a node and ZooKeeper unreachable, the node's own
 * status from {@code DIR/cluster/status.json} is printed (exit status still 1). Exit status: 0 done, 1 failed,
 * 2 usage.
 */
public final class ClusterCommand {
    private static final Set<String> OPTIONS = Set.of(ZkTarget.ZK, ZkTarget.ADMIN_CREDENTIALS, ZkTarget.ZK_TLS, "data");

    private ClusterCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (!args.isEmpty() && args.get(0).startsWith("tls-")) {
            return ZkTlsCommand.run(args, out);
        }
        if (!args.isEmpty() && args.get(0).equals("join")) {
            return ClusterJoinCommand.run(args, out, err);
        }
        Arguments arguments = new Arguments(args, OPTIONS);
        String action = arguments.positional(0, "cluster action (status, new-master-key FILE)");
        switch (action) {
            case "status" -> {
                int status = status(ZkTarget.from(arguments), out, err);
                if (status != 0 && arguments.option(ZkTarget.ZK).isEmpty()) {
                    printLocalStatus(arguments.dataDirectory(), out);
                }
                return status;
            }
            case "new-master-key" -> {
                ClusterMasterKey key = ClusterMasterKey.create(Paths.get(arguments.positional(1, "new-master-key FILE")));
                out.println("created " + key + " in " + arguments.positional(1, "FILE")
                    + "; copy it to every node (zk.master-key), never into ZooKeeper");
                return 0;
            }
            default -> throw new Arguments.UsageException("unknown cluster action '" + action + "'");
        }
    }

    private static int status(ZkTarget target, PrintStream out, PrintStream err) {
        try (AdminSession session = AdminSession.open(target)) {
            Optional<StoredConfig> config = session.reader().show();
            int current = config.map(StoredConfig::version).orElse(0);
            out.println("ZooKeeper " + target.connect() + ": configuration version " + current);
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NODE", "ROLE", "ADDRESSES", "CONFIG", "HEALTH"});
            List<NodeStatus> nodes = session.nodes();
            for (NodeStatus node : nodes) {
                String version = node.configVersion() == current ? Integer.toString(node.configVersion())
                    : node.configVersion() + " (behind " + current + ")";
                rows.add(new String[] {node.id(), node.role(), String.join(",", node.addresses()), version, node.health()});
            }
            for (NodeEntry listed : listedNodes(config)) {
                if (nodes.stream().noneMatch(n -> n.id().equals(listed.id()))) {
                    rows.add(new String[] {listed.id(), listed.role().name().toLowerCase(java.util.Locale.ROOT),
                        String.join(",", listed.addresses()), "-", "not running (no registry entry)"});
                }
            }
            print(rows, out);
            vip(config, session, out);
            return 0;
        } catch (ConfigAccessDeniedException e) {
            err.println("sealgate: access denied as " + target.admin() + ": " + e.getMessage());
            return ConfigCommand.REFUSED;
        } catch (ConfigStoreException e) {
            err.println("sealgate: " + e.getMessage());
            return ConfigCommand.REFUSED;
        }
    }

    /** Who holds the VIP, from the nodes' live claims (ephemeral: a stopped node's claim is gone). */
    private static void vip(Optional<StoredConfig> config, AdminSession session, PrintStream out) throws ConfigStoreException {
        String address;
        try {
            address = config.isEmpty() ? "(none configured)" : ConfigDocument.parse(config.get().document()).config().vip().address();
        } catch (InvalidConfigException e) {
            address = "(document does not validate)";
        }
        out.println(org.sealgate.vip.VipClaims.summary(address, session.vipClaims()));
    }

    /** When the registry cannot be read: this node's own status as it last wrote it locally. */
    private static void printLocalStatus(Path data, PrintStream out) throws IOException {
        Path file = new NodeLayout(data).clusterStatus();
        Optional<NodeStatus> local = NodeRegistry.readLocal(file);
        if (local.isEmpty()) {
            out.println("no local status in " + file + " (the node has not run with ZooKeeper yet)");
            return;
        }
        NodeStatus node = local.get();
        out.println("this node's own status (" + file + ", written "
            + Files.getLastModifiedTime(file).toInstant() + "):");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "ROLE", "ADDRESSES", "CONFIG", "HEALTH"});
        rows.add(new String[] {node.id(), node.role(), String.join(",", node.addresses()),
            Integer.toString(node.configVersion()), node.health()});
        print(rows, out);
    }

    private static List<NodeEntry> listedNodes(Optional<StoredConfig> config) {
        if (config.isEmpty()) {
            return List.of();
        }
        try {
            return ConfigDocument.parse(config.get().document()).config().nodes();
        } catch (InvalidConfigException e) {
            return List.of();   // a version written around the CLI; nodes refuse it too
        }
    }

    /** Columns as wide as their widest cell; the last column (health) is not padded. */
    private static void print(List<String[]> rows, PrintStream out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns - 1; i++) {
                line.append(String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.append(row[columns - 1]));
        }
    }
}
