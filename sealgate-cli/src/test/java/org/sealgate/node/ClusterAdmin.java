package org.sealgate.node;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.sealgate.cli.ClusterCommand;
import org.sealgate.cli.ConfigCommand;
import org.sealgate.zk.registry.NodeRegistry;
import org.sealgate.zk.registry.NodeStatus;
import org.sealgate.zk.keys.ClusterMasterKey;
import org.sealgate.zk.keys.ZkKeyDirectories;
import org.sealgate.zk.keys.ZkKeyDirectory;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkLayout;

/**
 * The administrator of a test cluster: credential and master key files, {@code config apply} through the CLI class,
 * the key store through an admin client, and writes around the CLI for the tests that need a bad version.
 */
final class ClusterAdmin implements AutoCloseable {
    static final String NODE_LOGIN = "node:node-secret";

    private final String connect;
    private final Path work;
    final Path adminCredentials;
    final Path nodeCredentials;
    final Path masterKey;
    private CuratorFramework client;
    private ZkKeyDirectory keys;

    ClusterAdmin(String connect, Path work) throws Exception {
        this.connect = connect;
        this.work = Files.createDirectories(work);
        this.adminCredentials = Files.writeString(work.resolve("admin.credentials"), "admin:admin-secret\n");
        this.nodeCredentials = Files.writeString(work.resolve("node.credentials"), NODE_LOGIN + "\n");
        this.masterKey = work.resolve("cluster-master.key");
        if (!Files.exists(masterKey)) {
            ClusterMasterKey.create(masterKey);
        }
    }

    /** {@code sealgate config apply} as the CLI runs it; the result carries exit status and stderr. */
    CliResult configApply(String document, String... more) throws Exception {
        Path file = Files.writeString(Files.createTempFile(work, "config-", ".yaml"), document, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("apply", file.toString(), "--zk", connect,
            "--admin-credentials", adminCredentials.toString(), "--node-credentials", nodeCredentials.toString()));
        args.addAll(List.of(more));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ConfigCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliResult(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record CliResult(int status, String out, String err) {
    }

    /** The cluster's key store as an admin writes it (the configuration store must exist: apply first). */
    synchronized ZkKeyDirectory keys() throws Exception {
        if (keys == null) {
            keys = ZkKeyDirectories.forAdmin(client(), Optional.of(ClusterMasterKey.fromFile(masterKey)));
            keys.start();
            if (!keys.awaitInitialized(Duration.ofSeconds(20))) {
                throw new IllegalStateException("key store not read within 20 s");
            }
        }
        return keys;
    }

    /** As a careless script would: straight into /config with admin rights, no validation, no history entry. */
    void writeAroundTheCli(String document) throws Exception {
        client().setData().forPath(ZkLayout.CONFIG, document.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts a node of this cluster in {@code data}, relaying to {@code relay}. */
    Gateway startNode(Path data, String nodeId, Optional<String> relay) throws Exception {
        return Gateway.startInCluster(data, relay, List.of(Gateway.MANAGED_DOMAIN), connect, NODE_LOGIN, nodeId, masterKey);
    }

    /** Prepares a node's data directory for {@link NodeProcess}; returns its SMTP port. */
    int prepareNode(Path data, String nodeId, Optional<String> relay) throws Exception {
        return Gateway.prepareInCluster(data, relay, List.of(Gateway.MANAGED_DOMAIN), connect, NODE_LOGIN, nodeId, masterKey);
    }

    /** The node registry as an admin reads it. */
    List<NodeStatus> nodes() throws Exception {
        return NodeRegistry.read(client());
    }

    /** {@code sealgate cluster status} as the CLI prints it. */
    CliResult clusterStatus() throws Exception {
        return clusterStatus(List.of("status", "--zk", connect, "--admin-credentials", adminCredentials.toString()));
    }

    /** {@code sealgate cluster status --data DIR} on a node's data directory (which then holds admin credentials). */
    CliResult clusterStatusOn(Path data) throws Exception {
        Path credentials = data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE);
        if (!Files.exists(credentials)) {
            Files.copy(adminCredentials, credentials);
        }
        return clusterStatus(List.of("status", "--data", data.toString()));
    }

    private static CliResult clusterStatus(List<String> args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ClusterCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliResult(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    CuratorFramework adminClient() throws Exception {
        return client();
    }

    private synchronized CuratorFramework client() throws Exception {
        if (client == null) {
            DigestCredentials admin = DigestCredentials.fromFile(adminCredentials);
            DigestCredentials node = DigestCredentials.fromFile(nodeCredentials);
            client = ZkClients.admin(connect, ZkClients.DEFAULT_NAMESPACE, admin,
                ConfigAcls.adminWritesNodesRead(admin.identity(), node.identity()));
            client.start();
            if (!client.blockUntilConnected(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("admin client not connected within 20 s");
            }
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (keys != null) {
            keys.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
