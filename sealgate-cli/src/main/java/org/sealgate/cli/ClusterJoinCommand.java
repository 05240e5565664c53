package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.sealgate.node.ClusterSettings;
import org.sealgate.node.NodeLayout;
import org.sealgate.node.NodeSettings;
import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.InvalidConfigException;
import org.sealgate.zk.config.NodeEntry;
import org.sealgate.zk.config.NodeRole;
import org.sealgate.zk.keys.ClusterMasterKey;
import org.sealgate.zk.registry.NodeRegistry;
import org.sealgate.zk.registry.NodeStatus;
import org.sealgate.zk.store.ConfigAccessDeniedException;
import org.sealgate.zk.store.ConfigConflictException;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.StoredConfig;

/**
 * {@code sealgate cluster join [--data DIR] [--admin-credentials FILE] [--zk-tls FILE]}: makes the node of
 * {@code DIR} (as {@code sealgate setup} wrote it) a listed member of its cluster. In order, stopping at the first
 * failure: ZooKeeper answers with this node's own credentials and TLS identity (what the node will use); no other
 * live node is registered under this node id; the configuration store exists (on a new cluster's first node: created,
 * and the first document {@value NewClusterWriter#INITIAL_DOCUMENT} applied); the document lists this node with the
 * role and addresses of {@code sealgate.properties} (added or updated as one version, message naming the node);
 * the cluster master key is present and owner-only. Idempotent: a node already listed as it is changes nothing.
 * Exit status: 0 joined, 1 refused or failed, 2 usage.
 */
final class ClusterJoinCommand {
    static final Set<String> OPTIONS = Set.of("data", ZkTarget.ADMIN_CREDENTIALS, ZkTarget.ZK_TLS);
    private static final int APPLY_ATTEMPTS = 3;
    private static final int CONNECT_ATTEMPTS = 3;

    private ClusterJoinCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Arguments arguments = new Arguments(args, OPTIONS);
        arguments.positional(0, "join");
        return join(arguments, out, err);
    }

    static int join(Arguments arguments, PrintStream out, PrintStream err) throws IOException {
        Path data = arguments.dataDirectory();
        if (!Files.exists(data.resolve(NodeSettings.FILE_NAME))) {
            throw new Arguments.UsageException(data + " is not a node's data directory (run sealgate setup first, or give --data DIR)");
        }
        ClusterSettings settings = ClusterSettings.load(data).orElseThrow(() -> new Arguments.UsageException(
            data.resolve(NodeSettings.FILE_NAME) + " has no " + ClusterSettings.CONNECT + ": a standalone node joins no cluster"
                + " (run sealgate setup with cluster = join or new)"));
        Properties local = localSettings(data);
        String nodeId = settings.nodeId();

        // 1. What the node itself will do: connect with its own identity and read the configuration.
        DigestCredentials node = DigestCredentials.fromFile(settings.credentials());
        ZkTarget asNode = new ZkTarget(settings.connect(), node, Optional.empty(), ClusterSettings.tls(data));
        try (AdminSession session = openPatiently(asNode, err)) {
            if (storeExists(session)) {   // before the first node's join creates it, there is nothing to read yet
                session.reader().show();
            }
        } catch (ConfigAccessDeniedException e) {
            err.println("sealgate: cluster join: ZooKeeper at " + settings.connect() + " refused this node's credentials ("
                + settings.credentials() + "): they are not the cluster's node identity; copy the cluster's"
                + " zk-node.credentials from the first node (DATA/secrets) and run sealgate setup again");
            return 1;
        } catch (ConfigStoreException e) {
            err.println("sealgate: cluster join: " + e.getMessage() + " (as node '" + node.user() + "'). Check that ZooKeeper"
                + " runs at " + settings.connect() + " (on a new cluster's first node: systemctl enable --now"
                + " sealgate-zookeeper), that the port is open from here and, with zk.tls.*, that this node's certificate"
                + " comes from the ensemble's CA; then run sealgate cluster join --data " + data);
            return 1;
        }

        // 2. As admin: the registry, the store and the document.
        ZkTarget admin;
        try {
            admin = ZkTarget.from(arguments);
        } catch (Arguments.UsageException e) {
            err.println("sealgate: cluster join: ZooKeeper at " + settings.connect() + " is reachable as this node, but"
                + " listing it in the cluster document needs the admin identity: give --admin-credentials FILE ("
                + e.getMessage() + ")");
            return 1;
        }
        try (AdminSession session = AdminSession.open(admin)) {
            Optional<NodeStatus> taken = takenBy(session.nodes(), nodeId, new NodeLayout(data).clusterStatus());
            if (taken.isPresent()) {
                err.println("sealgate: cluster join: node id '" + nodeId + "' is registered by another live node (addresses "
                    + String.join(",", taken.get().addresses()) + ", started " + taken.get().started() + "); give this node"
                    + " another node.id in sealgate setup, or stop that node first. Nothing changed.");
                return 1;
            }
            ConfigStore store = session.writer();
            if (store.currentVersion() == 0) {
                Path initial = data.resolve(NewClusterWriter.INITIAL_DOCUMENT);
                if (!Files.exists(initial)) {
                    err.println("sealgate: cluster join: the cluster at " + settings.connect() + " has no configuration yet;"
                        + " set up its first node with cluster = new (or apply one: sealgate config apply FILE)");
                    return 1;
                }
                store.apply(Files.readString(initial, StandardCharsets.UTF_8), 0,
                    "cluster created by sealgate setup on node " + nodeId);
                out.println("cluster created: configuration version 1 from " + initial);
            }
            NodeEntry wanted = list(store, nodeId, local, out);
            out.println("node '" + nodeId + "' listed as " + wanted.role().name().toLowerCase(Locale.ROOT) + " with "
                + String.join(",", wanted.addresses()) + " in the configuration of " + settings.connect()
                + " (version " + store.currentVersion() + ")");
        } catch (ConfigConflictException e) {
            err.println("sealgate: cluster join: the configuration kept changing while joining; run it again: " + e.getMessage());
            return 1;
        } catch (ConfigAccessDeniedException e) {
            err.println("sealgate: cluster join: access denied as " + admin.admin() + ": " + e.getMessage());
            return 1;
        } catch (InvalidConfigException e) {
            err.println("sealgate: cluster join: the document with this node does not validate, nothing changed: " + e.getMessage());
            return 1;
        } catch (ConfigStoreException e) {
            err.println("sealgate: cluster join: " + e.getMessage());
            return 1;
        }

        // 3. What the node needs besides ZooKeeper: the cluster master key, given out of band.
        if (!Files.exists(settings.masterKey())) {
            err.println("sealgate: cluster join: no cluster master key at " + settings.masterKey() + "; copy the cluster's"
                + " key from the first node (DATA/" + ClusterSettings.MASTER_KEY_FILE + ") and run sealgate setup with master-key = FILE");
            return 1;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(settings.masterKey());
        if (mode.stream().anyMatch(p -> !p.name().startsWith("OWNER"))) {
            err.println("sealgate: cluster join: " + settings.masterKey() + " is readable by others; chmod 600 it");
            return 1;
        }
        out.println("cluster master key present: " + ClusterMasterKey.fromFile(settings.masterKey()));
        return 0;
    }

    /** A ZooKeeper just started (setup on a new cluster's first node) may take a while: three tries (bounded). */
    private static AdminSession openPatiently(ZkTarget target, PrintStream err) throws ConfigStoreException {
        for (int attempt = 1; ; attempt++) {
            try {
                return AdminSession.open(target);
            } catch (ConfigAccessDeniedException e) {
                throw e;
            } catch (ConfigStoreException e) {
                if (attempt >= CONNECT_ATTEMPTS) {
                    throw e;
                }
                err.println("sealgate: cluster join: " + e.getMessage() + "; trying again");
            }
        }
    }

    /**
     * Looked up outside the namespace: through it, Curator would first create the namespace znode with this node
     * identity's ACL, and the admin could then create nothing below it.
     */
    private static boolean storeExists(AdminSession session) throws ConfigStoreException {
        try {
            return session.client().usingNamespace(null).checkExists()
                .forPath("/" + org.sealgate.zk.store.ZkClients.DEFAULT_NAMESPACE + org.sealgate.zk.store.ZkLayout.CONFIG) != null;
        } catch (org.apache.zookeeper.KeeperException.NoAuthException e) {
            throw new ConfigAccessDeniedException("not allowed to see " + org.sealgate.zk.store.ZkLayout.CONFIG, e);
        } catch (Exception e) {
            throw new ConfigStoreException("cannot look for " + org.sealgate.zk.store.ZkLayout.CONFIG + ": " + e, e);
        }
    }

    /**
     * A live registry entry under this id is another node's unless it is this node's own running instance: the
     * node writes the entry it registered to {@code DATA/cluster/status.json}, same start time.
     */
    static Optional<NodeStatus> takenBy(List<NodeStatus> registered, String nodeId, Path localStatus) throws IOException {
        Optional<NodeStatus> entry = registered.stream().filter(n -> n.id().equals(nodeId)).findFirst();
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Optional<NodeStatus> own = NodeRegistry.readLocal(localStatus);
        boolean ours = own.isPresent() && own.get().id().equals(nodeId) && own.get().started() != null
                       && own.get().started().equals(entry.get().started());
        return ours ? Optional.empty() : entry;
    }

    /** Adds or updates this node's entry; a concurrent apply is retried against the new version (bounded). */
    private static NodeEntry list(ConfigStore store, String nodeId, Properties local, PrintStream out)
        throws ConfigStoreException, ConfigConflictException, InvalidConfigException, IOException {
        for (int attempt = 1; ; attempt++) {
            StoredConfig current = store.show().orElseThrow();
            ConfigDocument document = ConfigDocument.parse(current.document());
            Optional<NodeEntry> listed = document.config().nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst();
            NodeEntry wanted = wanted(nodeId, local, listed);
            if (listed.isPresent() && listed.get().equals(wanted)) {
                out.println("node '" + nodeId + "' is already listed as it is: nothing to change");
                return wanted;
            }
            try {
                store.apply(NodeEntryLine.upsert(current.document(), wanted), current.version(), "cluster join: node "
                    + nodeId + " " + (listed.isPresent() ? "updated" : "added") + " (" + wanted.role().name().toLowerCase(Locale.ROOT) + ")");
                return wanted;
            } catch (ConfigConflictException e) {
                if (attempt >= APPLY_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Role and addresses from sealgate.properties; a listed node keeps its priority while its role stays. */
    private static NodeEntry wanted(String nodeId, Properties local, Optional<NodeEntry> listed) {
        NodeRole role = local.getProperty(SetupWriter.NODE_ROLE, "primary").strip().equals("secondary")
            ? NodeRole.SECONDARY : NodeRole.PRIMARY;
        List<String> addresses = new ArrayList<>();
        for (String address : local.getProperty(SetupWriter.NODE_ADDRESSES, "").split(",")) {
            if (!address.isBlank()) {
                addresses.add(address.strip());
            }
        }
        if (addresses.isEmpty()) {
            addresses = listed.map(NodeEntry::addresses).map(ArrayList::new).orElseGet(() -> new ArrayList<>(List.of("127.0.0.1")));
        }
        int priority = listed.filter(l -> l.role() == role).map(NodeEntry::priority).orElse(NodeEntryLine.defaultPriority(role));
        return new NodeEntry(nodeId, addresses, role, priority);
    }

    private static Properties localSettings(Path data) throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
