package org.sealgate.bench.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.sealgate.cli.ConfigCommand;
import org.sealgate.cli.CredentialFiles;
import org.sealgate.gina.GinaFiles;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.node.ClusterSettings;
import org.sealgate.node.GinaNodeSettings;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/**
 * What the GINA scenario's node needs besides its data directory: GINA keeps its accounts in ZooKeeper, so the
 * node runs in cluster mode against a real ZooKeeper started here (Curator's {@link TestingServer}, in the
 * benchmark's JVM, closed after the scenario). As {@code GinaSmtpTest} and the demo do: admin, node and GINA
 * digest identities with random passwords in {@code DATA/secrets}, the cluster document applied with
 * {@code config apply} (policy: GINA for the recipient domain), {@code /gina/accounts} prepared for the GINA
 * identity, the cluster key ring in {@code DATA/gina/gina.keys} and the portal URL. Keys stay in {@code DATA/keys}
 * ({@code zk.keys = files}).
 */
final class GinaCluster implements AutoCloseable {
    static final String NODE_ID = "bench";
    static final String PORTAL = "https://127.0.0.1:8443";

    private final TestingServer zooKeeper;
    private final KeyRing ring;

    private GinaCluster(TestingServer zooKeeper, KeyRing ring) {
        this.zooKeeper = zooKeeper;
        this.ring = ring;
    }

    /** Starts ZooKeeper and prepares {@code data} (whose sealgate.properties already exists) for GINA. */
    static GinaCluster start(Path data) throws IOException {
        TestingServer zooKeeper;
        try {
            zooKeeper = new TestingServer(true);
        } catch (Exception e) {
            throw new IOException("ZooKeeper did not start: " + e, e);
        }
        try {
            Path admin = credentials(data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE), "admin");
            Path node = credentials(data.resolve(ClusterSettings.NODE_CREDENTIALS_FILE), "node");
            Path gina = credentials(data.resolve(GinaFiles.ZK_CREDENTIALS), GinaFiles.ZK_USER);
            applyDocument(data, zooKeeper.getConnectString(), admin, node);
            prepareAccounts(zooKeeper.getConnectString(), DigestCredentials.fromFile(admin), DigestCredentials.fromFile(node),
                DigestCredentials.fromFile(gina));
            KeyRing ring = KeyRing.generate("bench-1");
            ring.save(data.resolve(GinaFiles.KEY_RING));
            ClusterSettings.set(data, ClusterSettings.CONNECT, zooKeeper.getConnectString(),
                ClusterSettings.CREDENTIALS, ClusterSettings.NODE_CREDENTIALS_FILE, ClusterSettings.NODE_ID, NODE_ID,
                ClusterSettings.KEYS, "files", GinaNodeSettings.PORTAL_URL, PORTAL);
            return new GinaCluster(zooKeeper, ring);
        } catch (IOException | RuntimeException e) {
            zooKeeper.close();
            throw e;
        }
    }

    /** The cluster key ring, with which the sink check opens each carrier's container. */
    KeyRing ring() {
        return ring;
    }

    /** The policy: no signing for the sender's domain, GINA (encryption required) for the recipient's. */
    static String document() {
        return """
            schema-version: 1
            domains:
              - name: %s
                sign: false
              - name: %s
                encrypt: required
                methods: [gina]
                unencryptable: bounce
            trusted-networks: [127.0.0.1/32]
            gina: {host-name: gina.%s, port: 8443}
            vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
            nodes:
              - {id: %s, addresses: [127.0.0.1], role: primary, priority: 150}
            """.formatted(BenchFixture.MANAGED_DOMAIN, BenchFixture.RECIPIENT_DOMAIN, BenchFixture.MANAGED_DOMAIN, NODE_ID);
    }

    private static void applyDocument(Path data, String connect, Path admin, Path node) throws IOException {
        Path file = Files.writeString(data.resolve("cluster.yaml"), document(), StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = ConfigCommand.run(List.of("apply", file.toString(), "--zk", connect, "--admin-credentials",
            admin.toString(), "--node-credentials", node.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IOException("config apply exited " + status + ": " + out.toString(StandardCharsets.UTF_8));
        }
    }

    private static void prepareAccounts(String connect, DigestCredentials admin, DigestCredentials node,
                                        DigestCredentials gina) throws IOException {
        try (CuratorFramework client = ZkClients.admin(connect, ZkClients.DEFAULT_NAMESPACE, admin,
            ConfigAcls.adminWritesNodesRead(admin.identity(), node.identity()))) {
            client.start();
            if (!client.blockUntilConnected(20, TimeUnit.SECONDS)) {
                throw new IOException("no ZooKeeper at " + connect);
            }
            AccountStores.prepare(client, admin.identity(), gina.identity());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while preparing the GINA accounts", e);
        } catch (org.sealgate.gina.account.AccountStoreException e) {
            throw new IOException("cannot prepare /gina/accounts: " + e.getMessage(), e);
        }
    }

    /** An owner-only {@code user:password} file with a random password. */
    private static Path credentials(Path file, String user) throws IOException {
        CredentialFiles.readOrCreate(file, user);
        return file;
    }

    @Override
    public void close() throws IOException {
        zooKeeper.close();
    }
}
