package org.sealgate.zk.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkLayout;
import org.sealgate.zk.store.ZkTestSupport;

/** The key store on a real ZooKeeper server: what admins write, nodes read; nodes only harvest; keys stay sealed. */
class ZkKeyDirectoryTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final CertificateIssuer CA = CertificateIssuer.newCa("Key Store Test CA");

    @TempDir
    static Path directory;
    static TestingServer server;
    static CuratorFramework adminClient;
    static CuratorFramework nodeClient;
    static ClusterMasterKey masterKey;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
        adminClient = ZkTestSupport.startedAdmin(server.getConnectString());
        nodeClient = ZkTestSupport.startedNode(server.getConnectString());
        new ConfigStore(adminClient, ZkTestSupport.ACLS, "admin").initialize();
        masterKey = ClusterMasterKey.create(directory.resolve("secrets/cluster-master.key"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        nodeClient.close();
        adminClient.close();
        server.close();
    }

    @Test
    void whatAnAdminStoresShouldReachANodeAndThePrivateKeyShouldOpenOnlyWithTheMasterKey() throws Exception {
        ManagedIdentity alice = CA.issue(IssueRequest.forEmail("alice@managed.example", KeyType.RSA_2048))
            .toManagedIdentity("alice@managed.example");
        X509Certificate carol = CA.issue(IssueRequest.forEmail("carol@partner.example", KeyType.EC_P256)).certificate();
        try (ZkKeyDirectory admin = started(ZkKeyDirectories.forAdmin(adminClient, Optional.of(masterKey)));
             ZkKeyDirectory node = started(ZkKeyDirectories.forNode(nodeClient, ZkTestSupport.NODE.identity(),
                 Optional.of(masterKey), directory.resolve("node-a/keys-copy.json")))) {
            admin.addManagedIdentity(alice);
            admin.addCertificate(carol);
            admin.addTrustAnchor(CA.certificate());
            admin.addCrl(CA.crl(List.of(BigInteger.TEN)));

            await().atMost(WITHIN).until(() -> node.managedIdentity("Alice@Managed.Example").isPresent()
                && node.certificatesFor("carol@partner.example").size() == 1 && node.crls().size() == 1);
            assertThat(node.managedIdentity("alice@managed.example").orElseThrow().privateKey().getEncoded())
                .isEqualTo(alice.privateKey().getEncoded());
            assertThat(node.trustAnchors()).containsExactly(CA.certificate());
            assertThat(node.source()).isEqualTo(ZkKeyDirectory.Source.ZOOKEEPER);

            // In ZooKeeper: the certificate in clear, the private key sealed; neither the key nor its Base64 appears.
            byte[] stored = adminClient.getData().forPath(ZkLayout.child(ZkLayout.PRIVATE, Fingerprints.sha256(alice.certificate())));
            String text = new String(stored, StandardCharsets.UTF_8);
            assertThat(text).contains("\"master-key-id\":\"" + masterKey.keyId() + "\"").contains("AES-256-GCM");
            assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(alice.privateKey().getEncoded()).substring(0, 64));
            assertThat(indexOf(stored, alice.privateKey().getEncoded())).isNegative();

            // Another master key opens nothing (and says why in the log); the certificates are still there.
            ClusterMasterKey other = ClusterMasterKey.create(directory.resolve("other.key"));
            try (ZkKeyDirectory wrongKey = started(ZkKeyDirectories.forAdmin(adminClient, Optional.of(other)))) {
                assertThat(wrongKey.awaitInitialized(WITHIN)).isTrue();
                assertThat(wrongKey.managedIdentity("alice@managed.example")).isEmpty();
                assertThat(wrongKey.certificatesFor("carol@partner.example")).hasSize(1);
            }
            assertThat(admin.remove("carol@partner.example")).isEqualTo(1);
            await().atMost(WITHIN).until(() -> node.certificatesFor("carol@partner.example").isEmpty());
        }
    }

    @Test
    void anAnchorsScopeShouldReachNodesAndAnAdminMayChangeIt() throws Exception {
        CertificateIssuer partnerCa = CertificateIssuer.newCa("Scoped Partner CA");
        try (ZkKeyDirectory admin = started(ZkKeyDirectories.forAdmin(adminClient, Optional.of(masterKey)));
             ZkKeyDirectory node = started(ZkKeyDirectories.forNode(nodeClient, ZkTestSupport.NODE.identity(),
                 Optional.of(masterKey), directory.resolve("node-s/keys-copy.json")))) {
            admin.addTrustAnchor(new ScopedAnchor(partnerCa.certificate(), List.of("partner.example")));
            await().atMost(WITHIN).until(() -> node.scopedTrustAnchors().stream()
                .anyMatch(a -> a.certificate().equals(partnerCa.certificate()) && a.domains().equals(List.of("partner.example"))));

            admin.addTrustAnchor(new ScopedAnchor(partnerCa.certificate(), List.of("partner.example", "*.partner.example")));
            await().atMost(WITHIN).until(() -> node.scopedTrustAnchors().stream()
                .anyMatch(a -> a.certificate().equals(partnerCa.certificate()) && a.domains().size() == 2));
            assertThatThrownBy(() -> node.addTrustAnchor(new ScopedAnchor(partnerCa.certificate(), List.of("demo.sealgate.test"))))
                .isInstanceOf(KeyStoreException.class);
        }
    }

    @Test
    void aCertificateHarvestedOnOneNodeShouldBeUsedByAnotherButNodesMayNotWriteAnythingElse() throws Exception {
        X509Certificate dora = CA.issue(IssueRequest.forEmail("dora@partner.example", KeyType.RSA_2048)).certificate();
        try (CuratorFramework nodeBClient = ZkTestSupport.startedNode(server.getConnectString());
             ZkKeyDirectory nodeA = started(ZkKeyDirectories.forNode(nodeClient, ZkTestSupport.NODE.identity(),
                 Optional.of(masterKey), directory.resolve("a/keys-copy.json")));
             ZkKeyDirectory nodeB = started(ZkKeyDirectories.forNode(nodeBClient, ZkTestSupport.NODE.identity(),
                 Optional.of(masterKey), directory.resolve("b/keys-copy.json")))) {
            assertThat(nodeA.awaitInitialized(WITHIN)).isTrue();
            nodeA.addCertificate(dora);
            assertThat(nodeA.certificatesFor("dora@partner.example")).containsExactly(dora);   // at once, locally
            await().atMost(WITHIN).until(() -> nodeB.certificatesFor("dora@partner.example").contains(dora));
            String harvested = ZkLayout.child(ZkLayout.HARVESTED, Fingerprints.sha256(dora));
            assertThat(adminClient.checkExists().forPath(harvested)).isNotNull();

            // The node's rights end there: no change or deletion of what is harvested, no other folder, no config.
            assertThatThrownBy(() -> nodeClient.setData().forPath(harvested, new byte[] {1}))
                .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> nodeClient.delete().forPath(harvested)).isInstanceOf(KeeperException.NoAuthException.class);
            X509Certificate forged = CA.issue(IssueRequest.forEmail("eve@partner.example", KeyType.RSA_2048)).certificate();
            assertThatThrownBy(() -> nodeA.addTrustAnchor(forged)).isInstanceOfSatisfying(KeyStoreException.class,
                e -> assertThat(e.accessDenied()).isTrue());
            assertThatThrownBy(() -> nodeA.addManagedIdentity(CA.issue(IssueRequest.forEmail("eve@managed.example",
                KeyType.RSA_2048)).toManagedIdentity("eve@managed.example")))
                .isInstanceOfSatisfying(KeyStoreException.class, e -> assertThat(e.accessDenied()).isTrue());
            assertThatThrownBy(() -> nodeClient.create().forPath(ZkLayout.child(ZkLayout.CERTS, "x"), new byte[] {1}))
                .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> nodeClient.setData().forPath(ZkLayout.CONFIG, new byte[] {1}))
                .isInstanceOf(KeeperException.NoAuthException.class);
            assertThat(nodeB.certificatesFor("eve@partner.example")).isEmpty();
        }
    }

    @Test
    void clientsWithoutCredentialsShouldNeitherReadNorWriteKeys() throws Exception {
        try (CuratorFramework anonymous = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
            .namespace(ZkClients.DEFAULT_NAMESPACE).retryPolicy(new RetryOneTime(100)).build()) {
            anonymous.start();
            anonymous.blockUntilConnected();
            assertThatThrownBy(() -> anonymous.getChildren().forPath(ZkLayout.PRIVATE))
                .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> anonymous.create().forPath(ZkLayout.child(ZkLayout.HARVESTED, "x"), new byte[] {1}))
                .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> anonymous.create().forPath(ZkLayout.child(ZkLayout.NODES, "x"), new byte[] {1}))
                .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    @Test
    void aNodeStartedWhileZooKeeperIsDownShouldUseItsLocalCopy() throws Exception {
        X509Certificate frank = CA.issue(IssueRequest.forEmail("frank@partner.example", KeyType.RSA_2048)).certificate();
        Path copy = directory.resolve("c/keys-copy.json");
        try (ZkKeyDirectory admin = started(ZkKeyDirectories.forAdmin(adminClient, Optional.of(masterKey)));
             ZkKeyDirectory node = started(ZkKeyDirectories.forNode(nodeClient, ZkTestSupport.NODE.identity(),
                 Optional.of(masterKey), copy))) {
            admin.addCertificate(frank);
            await().atMost(WITHIN).until(() -> Files.exists(copy) && Files.readString(copy).contains(Fingerprints.sha256(frank)));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
        try (CuratorFramework unreachable = ZkClients.node("127.0.0.1:1", ZkClients.DEFAULT_NAMESPACE, ZkTestSupport.NODE);
             ZkKeyDirectory node = ZkKeyDirectories.forNode(unreachable, ZkTestSupport.NODE.identity(), Optional.of(masterKey), copy)) {
            unreachable.start();
            node.start();
            assertThat(node.source()).isEqualTo(ZkKeyDirectory.Source.LOCAL_COPY);
            assertThat(node.certificatesFor("frank@partner.example")).containsExactly(frank);
            assertThat(node.describe()).startsWith("keys from the local copy");
        }
    }

    @Test
    void aCertificateHarvestedWhileZooKeeperIsDownShouldBeUsableAtOnceAndStoredAfterReconnecting() throws Exception {
        X509Certificate gina = CA.issue(IssueRequest.forEmail("gina@partner.example", KeyType.RSA_2048)).certificate();
        try (TestingServer own = new TestingServer(true);
             CuratorFramework admin = ZkTestSupport.startedAdmin(own.getConnectString());
             CuratorFramework node = ZkTestSupport.startedNode(own.getConnectString())) {
            new ConfigStore(admin, ZkTestSupport.ACLS, "admin").initialize();
            try (ZkKeyDirectory keys = started(ZkKeyDirectories.forNode(node, ZkTestSupport.NODE.identity(),
                Optional.of(masterKey), directory.resolve("d/keys-copy.json")))) {
                own.stop();
                await().atMost(WITHIN).until(() -> !node.getZookeeperClient().isConnected());
                keys.addCertificate(gina);
                assertThat(keys.certificatesFor("gina@partner.example")).containsExactly(gina);
                assertThat(keys.describe()).contains("1 harvested not yet stored");

                own.restart();
                String path = ZkLayout.child(ZkLayout.HARVESTED, Fingerprints.sha256(gina));
                await().atMost(WITHIN).until(() -> admin.checkExists().forPath(path) != null);
                await().atMost(WITHIN).until(() -> !keys.describe().contains("not yet stored"));
                assertThat(keys.certificatesFor("gina@partner.example")).containsExactly(gina);
            }
        }
    }

    private static ZkKeyDirectory started(ZkKeyDirectory keys) throws InterruptedException {
        keys.start();
        assertThat(keys.awaitInitialized(WITHIN)).isTrue();
        return keys;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
