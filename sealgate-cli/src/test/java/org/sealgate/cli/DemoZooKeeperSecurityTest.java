package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.GinaFiles;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.node.ClusterSettings;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkLayout;
import org.sealgate.zk.tls.ZkTlsServerConfig;
import org.sealgate.zk.tls.ZkTlsSettings;

/**
 * The demo's real ZooKeeper store (managed S/MIME and OpenPGP keys sealed in it, configuration version 1) against
 * two attackers: one on the network, who finds no plaintext port even with valid digest credentials; and one
 * holding the portal's credentials (a compromised portal host, in the DMZ: digest {@code gina} over TLS with the
 * portal's certificate), who works with GINA accounts and nothing else.
 */
class DemoZooKeeperSecurityTest {
    @TempDir
    static Path work;
    private static EmbeddedZooKeeper zooKeeper;
    private static Path data;

    @BeforeAll
    static void startDemoCluster() throws Exception {
        data = work.resolve("demo");
        DemoSetup.create(data);
        // A free port of its own, never the demo's 2181 (another run may hold it).
        java.nio.file.Files.createDirectories(data.resolve("zookeeper"));
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            java.nio.file.Files.writeString(data.resolve("zookeeper/client-port"), socket.getLocalPort() + "\n");
        }
        zooKeeper = DemoCluster.start(data);
        DemoGina.prepare(data, zooKeeper.connectString(),
            DigestCredentials.fromFile(data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE)));
    }

    @AfterAll
    static void stop() {
        if (zooKeeper != null) {
            zooKeeper.close();
        }
        ZkTlsServerConfig.clearSystemProperties();
    }

    @Test
    void demoZooKeeperShouldRefusePlaintextClientsEvenWithValidCredentials() throws Exception {
        assertThat(java.nio.file.Files.readString(data.resolve(org.sealgate.node.NodeSettings.FILE_NAME)))
            .contains(ZkTlsSettings.KEYSTORE + "=zk-tls/node.p12");
        try (CuratorFramework plaintext = ZkClients.node(zooKeeper.connectString(), ZkClients.DEFAULT_NAMESPACE,
            DigestCredentials.fromFile(data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE)))) {
            plaintext.start();
            assertThat(plaintext.blockUntilConnected(4, TimeUnit.SECONDS)).isFalse();
        }
        // The admin CLI over --data finds the TLS identity the demo made; nothing else to give.
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertThat(ConfigCommand.run(List.of("show", "--data", data.toString()), new java.io.PrintStream(out, true,
            StandardCharsets.UTF_8), System.err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("# configuration version 1");
    }

    @Test
    void portalCredentialsShouldReachGinaAccountsButNeitherKeysNorTheConfiguration() throws Exception {
        try (CuratorFramework admin = client(ClusterSettings.ADMIN_CREDENTIALS_FILE, "admin");
             CuratorFramework portal = client(GinaFiles.ZK_CREDENTIALS, DemoTls.PORTAL)) {
            List<String> managedKeys = admin.getChildren().forPath(ZkLayout.PRIVATE);
            List<String> pgpSecrets = admin.getChildren().forPath(ZkLayout.PGP_SECRET);
            assertThat(managedKeys).as("the demo's managed S/MIME keys are in ZooKeeper").isNotEmpty();
            assertThat(pgpSecrets).as("the demo's managed OpenPGP keys are in ZooKeeper").isNotEmpty();

            // What the portal needs works: accounts (and their throttle counters) under /gina.
            GinaAccounts accounts = new GinaAccounts(AccountStores.zooKeeper(portal, AccountStores.creatorOnly()),
                new PasswordHasher(1024, 1, 1), LockoutPolicy.DEFAULT, java.time.Clock.systemUTC());
            assertThat(accounts.ensureAccount("erin@newcomer.example").created()).isTrue();

            // Managed keys: neither listed nor read.
            refused(() -> portal.getChildren().forPath(ZkLayout.PRIVATE));
            refused(() -> portal.getData().forPath(ZkLayout.child(ZkLayout.PRIVATE, managedKeys.get(0))));
            refused(() -> portal.getChildren().forPath(ZkLayout.PGP_SECRET));
            refused(() -> portal.getData().forPath(ZkLayout.child(ZkLayout.PGP_SECRET, pgpSecrets.get(0))));
            // Its share of the document: read, never written; the document itself stays out of reach.
            org.sealgate.zk.store.GinaSettingsNode settings = org.sealgate.zk.store.GinaSettingsNode.decode(
                portal.getData().forPath(ZkLayout.GINA_SETTINGS));
            assertThat(settings.version()).isEqualTo(1);
            assertThat(settings.settings().sessionMinutes()).isEqualTo(30);
            refused(() -> portal.setData().forPath(ZkLayout.GINA_SETTINGS, "{}".getBytes(StandardCharsets.UTF_8)));
            refused(() -> portal.delete().forPath(ZkLayout.GINA_SETTINGS));
            refused(() -> portal.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(ZkLayout.GINA_SETTINGS));
            // The configuration: not read, not written, no history entry forged, no ACL changed.
            refused(() -> portal.getData().forPath(ZkLayout.CONFIG));
            refused(() -> portal.setData().forPath(ZkLayout.CONFIG, "schema-version: 1\n".getBytes(StandardCharsets.UTF_8)));
            refused(() -> portal.create().forPath(ZkLayout.historyPath(99), new byte[0]));
            refused(() -> portal.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(ZkLayout.CONFIG));
            refused(() -> portal.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath("/"));
            // No planted certificates or registry entries, no new folders next to the store.
            refused(() -> portal.create().forPath(ZkLayout.child(ZkLayout.HARVESTED, "00"), new byte[0]));
            refused(() -> portal.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.child(ZkLayout.NODES, "rogue")));
            refused(() -> portal.create().forPath("/keys2", new byte[0]));
            refused(() -> portal.delete().forPath(ZkLayout.child(ZkLayout.PRIVATE, managedKeys.get(0))));
        }
    }

    private static void refused(Executable attempt) {
        assertThatThrownBy(attempt::execute).isInstanceOf(KeeperException.NoAuthException.class);
    }

    /** A client as the demo's {@code credentials} digest identity, over TLS with identity {@code certificate}. */
    private static CuratorFramework client(String credentials, String certificate) throws Exception {
        CuratorFramework client = ZkClients.node(zooKeeper.connectString(), ZkClients.DEFAULT_NAMESPACE,
            DigestCredentials.fromFile(data.resolve(credentials)),
            Optional.of(ZkTlsSettings.fromFile(data.resolve(DemoTls.DIRECTORY).resolve(certificate + ".properties"))));
        client.start();
        assertThat(client.blockUntilConnected(15, TimeUnit.SECONDS)).isTrue();
        return client;
    }
}
