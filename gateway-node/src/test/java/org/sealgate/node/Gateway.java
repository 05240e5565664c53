package org.sealgate.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.awaitility.Awaitility;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.testing.FreePorts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real gateway node for tests: stock James with Sealgate's pipeline, in this JVM, on a free SMTP port, relaying
 * to a downstream receiver, with its own data directory.
 */
final class Gateway implements AutoCloseable {
    static final String MANAGED_DOMAIN = "demo.sealgate.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SealgateNode node;
    private final FileKeyDirectory keys;

    private Gateway(SealgateNode node, FileKeyDirectory keys) {
        this.node = node;
        this.keys = keys;
    }

    /** Writes settings and policy into {@code data}, then starts the node. Keys may be added before or after. */
    static Gateway start(Path data, Optional<String> relay, String policy, List<String> managedDomains) throws Exception {
        return start(data, relay, policy, managedDomains, NodeSettings.Pipeline.SEALGATE);
    }

    /** As above, with further {@code sealgate.properties} settings (e.g. {@code limits.*}) written before the start. */
    static Gateway start(Path data, Optional<String> relay, String policy, List<String> managedDomains,
                         Map<String, String> moreSettings) throws Exception {
        Files.createDirectories(data);
        new NodeSettings("gateway.test", "127.0.0.1", FreePorts.next(), List.of("127.0.0.1/32"), managedDomains, relay,
            51200, true).save(data);
        StringBuilder more = new StringBuilder();
        moreSettings.forEach((key, value) -> more.append(key).append('=').append(value).append('\n'));
        Files.writeString(data.resolve(NodeSettings.FILE_NAME), more, StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(data.resolve("policy.properties"), policy, StandardCharsets.UTF_8);
        return restart(data);
    }

    static Gateway start(Path data, Optional<String> relay, String policy, List<String> managedDomains,
                         NodeSettings.Pipeline pipeline) throws Exception {
        Files.createDirectories(data);
        NodeSettings settings = new NodeSettings("gateway.test", "127.0.0.1", FreePorts.next(),
            List.of("127.0.0.1/32"), managedDomains, relay, 51200, true, pipeline);
        settings.save(data);
        Files.writeString(data.resolve("policy.properties"), policy, StandardCharsets.UTF_8);
        SealgateNode node = SealgateNode.fromDataDirectory(data);
        FileKeyDirectory keys = FileKeyDirectory.open(node.layout().keys());
        node.start();
        return new Gateway(node, keys);
    }

    /**
     * A node that takes its policy from the cluster configuration in ZooKeeper ({@code zk.connect}) instead of
     * {@code policy.properties}; {@code nodeCredentials} is the {@code user:password} line it reads with.
     */
    static Gateway startInCluster(Path data, Optional<String> relay, List<String> managedDomains, String zkConnect,
                                  String nodeCredentials, String nodeId, Path masterKey) throws Exception {
        prepareInCluster(data, relay, managedDomains, zkConnect, nodeCredentials, nodeId, masterKey);
        return restart(data);
    }

    /**
     * A cluster node that keeps its keys in {@code DATA/keys} ({@code zk.keys = files}; tests add keys through
     * {@link #keys()}), trusting 127.0.0.1 by its own settings.
     */
    static Gateway startInCluster(Path data, Optional<String> relay, List<String> managedDomains, String zkConnect,
                                  String nodeCredentials) throws Exception {
        return startInCluster(data, relay, managedDomains, zkConnect, nodeCredentials, Map.of());
    }

    /** As above, with further {@code sealgate.properties} settings (e.g. {@code gina.*}) written before the start. */
    static Gateway startInCluster(Path data, Optional<String> relay, List<String> managedDomains, String zkConnect,
                                  String nodeCredentials, Map<String, String> moreSettings) throws Exception {
        writeClusterNode(data, relay, managedDomains, "127.0.0.1/32", zkConnect, nodeCredentials);
        ClusterSettings.set(data, ClusterSettings.KEYS, "files");
        if (!moreSettings.isEmpty()) {
            String more = moreSettings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "\n")
                .collect(java.util.stream.Collectors.joining());
            Files.writeString(data.resolve(NodeSettings.FILE_NAME), more, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        }
        return restart(data);
    }

    /**
     * Writes the data directory of a cluster node with its keys in ZooKeeper (settings, node credentials, master
     * key); returns its SMTP port.
     */
    static int prepareInCluster(Path data, Optional<String> relay, List<String> managedDomains, String zkConnect,
                                String nodeCredentials, String nodeId, Path masterKey) throws Exception {
        // Not 127.0.0.1: the tests' clients relay from there only because the cluster document trusts it.
        int port = writeClusterNode(data, relay, managedDomains, "127.0.0.3/32", zkConnect, nodeCredentials);
        Path nodeMasterKey = data.resolve(ClusterSettings.MASTER_KEY_FILE);
        if (!Files.exists(nodeMasterKey)) {
            Files.copy(masterKey, nodeMasterKey);   // out of band, as an operator would
        }
        ClusterSettings.set(data, ClusterSettings.NODE_ID, nodeId);
        return port;
    }

    private static int writeClusterNode(Path data, Optional<String> relay, List<String> managedDomains, String trusted,
                                        String zkConnect, String nodeCredentials) throws Exception {
        Files.createDirectories(data.resolve("secrets"));
        int port = FreePorts.next();
        new NodeSettings("gateway.test", "127.0.0.1", port, List.of(trusted), managedDomains, relay, 51200, true).save(data);
        Files.writeString(data.resolve(ClusterSettings.NODE_CREDENTIALS_FILE), nodeCredentials + "\n", StandardCharsets.UTF_8);
        ClusterSettings.record(data, zkConnect, ClusterSettings.NODE_CREDENTIALS_FILE);
        return port;
    }

    /** Starts the node of an existing data directory again (settings as they are). */
    static Gateway restart(Path data) throws Exception {
        SealgateNode node = SealgateNode.fromDataDirectory(data);
        FileKeyDirectory keys = FileKeyDirectory.open(node.layout().keys());
        node.start();
        return new Gateway(node, keys);
    }

    /** The node itself, for tests in this package. */
    SealgateNode node() {
        return node;
    }

    /** The node's cluster configuration health; fails for a node without ZooKeeper. */
    org.sealgate.zk.watch.ConfigHealth clusterConfigHealth() {
        return node.clusterConfigHealth().orElseThrow();
    }

    /** The node's OpenPGP keys (the same files the node reads). */
    FilePgpKeyDirectory pgpKeys() {
        return FilePgpKeyDirectory.open(node.layout().data());
    }

    int smtpPort() {
        return node.settings().smtpPort();
    }

    FileKeyDirectory keys() {
        return keys;
    }

    NodeLayout layout() {
        return node.layout();
    }

    /** Every audit event written so far, oldest first. */
    List<Map<String, Object>> auditEvents() throws IOException {
        return auditEvents(node.layout().data());
    }

    /** Every audit event a node with this data directory (in this JVM or another) has written so far. */
    static List<Map<String, Object>> auditEvents(Path data) throws IOException {
        Path file = new NodeLayout(data).audit().resolve("audit.jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Map<String, Object>> events = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                events.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() { }));
            }
        }
        return events;
    }

    /** Waits for the audit event of the mail with this subject-derived Message-ID fragment. */
    Map<String, Object> awaitAuditEvent(String messageIdFragment) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> auditEvents().stream()
                .filter(e -> String.valueOf(e.get("messageId")).contains(messageIdFragment))
                .findFirst(), Optional::isPresent)
            .orElseThrow();
    }

    /** Number of mails held (the held-mail store: one sealed {@code .held} file per mail). */
    long quarantined() throws IOException {
        Path held = node.layout().held();
        if (!Files.isDirectory(held)) {
            return 0;
        }
        try (var files = Files.list(held)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".held")).count();
        }
    }

    /** The node's held-mail store, opened with the node's key as {@code sealgate mail held} opens it. */
    org.sealgate.held.HeldMailStore heldMail() throws IOException {
        return HeldMailKeys.store(node.layout(), false);
    }

    long errors() throws IOException {
        return countRepository(node.layout().errors());
    }

    private static long countRepository(Path repository) throws IOException {
        if (!Files.isDirectory(repository)) {
            return 0;
        }
        try (var files = Files.list(repository)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".FileStreamStore")).count();
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
