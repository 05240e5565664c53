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
import org.sealgate.zk.tls.ZkTlsSettings;

/**
 * How a node reaches the cluster configuration, from the {@code zk.*} keys of {@code <data>/sealgate.properties}.
 * Without {@code zk.connect} the node is standalone and reads {@code policy.properties}.
 *
 * <pre>
 * zk.connect = zk1:2181,zk2:2181,zk3:2181     # the ensemble (a chroot suffix is allowed)
 * zk.credentials = secrets/zk-node.credentials  # one line node:password; relative to the data directory
 * zk.node-id = node-a                           # optional; default: the host name
 * zk.keys = zookeeper                           # zookeeper (default) | files: key store in ZooKeeper or DATA/keys
 * zk.master-key = secrets/cluster-master.key    # cluster master key file (given out of band); relative to DATA
 * zk.tls.keystore = zk-tls/node.p12             # ZooKeeper over TLS (see ZkTlsSettings): this node's certificate,
 * zk.tls.keystore.password-file = zk-tls/node.p12.password   # its password file (owner-only),
 * zk.tls.truststore = zk-tls/ca.pem             # and the cluster CA; relative to DATA. Absent: plaintext.
 * </pre>
 *
 * @param connect        ZooKeeper connect string
 * @param credentials    file with the node's read identity ({@code user:password})
 * @param nodeId         this node's name in the cluster
 * @param namespace      Curator namespace (chroot) of Sealgate's znodes
 * @param keysInZooKeeper the key directory is the cluster's (ZooKeeper), not {@code DATA/keys}
 * @param masterKey      the cluster master key file, which opens managed users' keys stored in ZooKeeper
 */
public record ClusterSettings(String connect, Path credentials, String nodeId, String namespace,
                              boolean keysInZooKeeper, Path masterKey) {
    public static final String CONNECT = "zk.connect";
    public static final String CREDENTIALS = "zk.credentials";
    public static final String NODE_ID = "zk.node-id";
    public static final String KEYS = "zk.keys";
    public static final String MASTER_KEY = "zk.master-key";
    /** Where the cluster master key is kept by default. */
    public static final String MASTER_KEY_FILE = "secrets/cluster-master.key";
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
        String keys = properties.getProperty(KEYS, "zookeeper").trim();
        if (!keys.equals("zookeeper") && !keys.equals("files")) {
            throw new IOException(NodeSettings.FILE_NAME + ": " + KEYS + " is 'zookeeper' or 'files', not '" + keys + "'");
        }
        return Optional.of(new ClusterSettings(connect, credentials, nodeId.isEmpty() ? defaultNodeId() : nodeId,
            ZkClients.DEFAULT_NAMESPACE, keys.equals("zookeeper"),
            data.resolve(properties.getProperty(MASTER_KEY, MASTER_KEY_FILE).trim())));
    }

    /**
     * The node's ZooKeeper TLS settings ({@code zk.tls.*} of {@code sealgate.properties}, paths relative to DATA);
     * empty for plaintext. A half-configured or group-readable set is an error, never a fall-back to plaintext.
     */
    public static Optional<ZkTlsSettings> tls(Path data) throws IOException {
        return ZkTlsSettings.from(read(data), data);
    }

    /** Sets the {@code zk.*} keys in {@code sealgate.properties}, keeping every other setting. */
    public static void record(Path data, String connect, String credentialsRelativeToData) throws IOException {
        set(data, CONNECT, connect, CREDENTIALS, credentialsRelativeToData);
    }

    /** Sets the given keys (pairs of key and value) in {@code sealgate.properties}, keeping every other setting. */
    public static void set(Path data, String... keysAndValues) throws IOException {
        Properties properties = read(data);
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
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
