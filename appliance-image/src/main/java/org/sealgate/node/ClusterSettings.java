package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import org.sealgate.zk.store.ZkClients;

/**
 * How a node reaches the cluster configuration, from the {@code zk.*} keys of {@code <data>/sealgate.properties}.
 * Without {@code zk.connect} the node is standalone and reads {@code policy.properties}.
 *
 * <pre>
 * zk.connect = zk1:2181,zk2:2181,zk3:2181     # the ensemble (a chroot suffix is allowed)
 * zk.credentials = secrets/zk-node.credentials  # one line node:password; relative to the data directory
 * zk.node-id = node-a                           # optional; default: the host name
 * </pre>
 *
 * @param connect     ZooKeeper connect string
 * @param credentials file with the node's read identity ({@code user:password})
 * @param nodeId      this node's name in the cluster
 * @param namespace   Curator namespace (chroot) of Sealgate's znodes
 */
public record ClusterSettings(String connect, Path credentials, String nodeId, String namespace) {
    public static final String CONNECT = "zk.connect";
    public static final String CREDENTIALS = "zk.credentials";
    public static final String NODE_ID = "zk.node-id";
    /** Where an administrator's credentials are kept in a data directory ({@code config --data DIR}). */
    public static final String ADMIN_CREDENTIALS_FILE = "secrets/zk-admin.credentials";
    /** Where a node's read credentials are kept by default. */
    public static final String NODE_CREDENTIALS_FILE = "secrets/zk-node.credentials";

    /** Empty when the node runs without ZooKeeper. */
    public static Optional<ClusterSettings> load(Path data) throws IOException {
        Properties properties = read(data);
        String connect = properties.getProperty(CONNECT, "").trim();
        if (connect.isEmpty()) {
            return Optional.empty();
        }
        Path credentials = data.resolve(properties.getProperty(CREDENTIALS, NODE_CREDENTIALS_FILE).trim());
        String nodeId = properties.getProperty(NODE_ID, "").trim();
        return Optional.of(new ClusterSettings(connect, credentials, nodeId.isEmpty() ? defaultNodeId() : nodeId,
            ZkClients.DEFAULT_NAMESPACE));
    }

    /** Sets the {@code zk.*} keys in {@code sealgate.properties}, keeping every other setting. */
    public static void record(Path data, String connect, String credentialsRelativeToData) throws IOException {
        Properties properties = read(data);
        properties.setProperty(CONNECT, connect);
        properties.setProperty(CREDENTIALS, credentialsRelativeToData);
        try (Writer writer = Files.newBufferedWriter(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            properties.store(writer, "Sealgate node settings; James's configuration is rendered from these at start");
        }
    }

    private static Properties read(Path data) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    private static String defaultNodeId() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "node";
        }
    }
}
