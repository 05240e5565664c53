package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.curator.test.TestingServer;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.pgp.PgpKeys;

/** {@code sealgate keys ... --zk}: the cluster's key store through the command class, on a real ZooKeeper server. */
class KeysCommandZooKeeperTest {
    @TempDir
    Path work;
    TestingServer zooKeeper;
    Path admin;
    Path masterKey;

    @BeforeEach
    void startZooKeeper() throws Exception {
        zooKeeper = new TestingServer(true);
        admin = Files.writeString(work.resolve("admin.credentials"), "admin:admin-secret\n");
        Path node = Files.writeString(work.resolve("node.credentials"), "node:node-secret\n");
        Path document = Files.writeString(work.resolve("cluster.yaml"), ClusterDocuments.withPartner("required"));
        assertThat(ConfigCommand.run(List.of("apply", document.toString(), "--zk", zooKeeper.getConnectString(),
            "--admin-credentials", admin.toString(), "--node-credentials", node.toString()), quiet(), quiet())).isZero();
        masterKey = work.resolve("cluster-master.key");
        ClusterCommand.run(List.of("new-master-key", masterKey.toString()), quiet(), quiet());
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        zooKeeper.close();
    }

    @Test
    void importListExportAndRemoveShouldWorkAgainstTheClusterKeyStore() throws Exception {
        CertificateIssuer ca = CertificateIssuer.newCa("Keys CLI CA");
        IssuedIdentity alice = ca.issue(IssueRequest.forEmail("alice@demo.sealgate.test", KeyType.RSA_2048));
        Path p12 = work.resolve("alice.p12");
        alice.writePkcs12(p12, "alice@demo.sealgate.test", "p12-secret".toCharArray());
        Path password = Files.writeString(work.resolve("p12.password"), "p12-secret\n");
        Path carol = Files.writeString(work.resolve("carol.pem"),
            ca.issue(IssueRequest.forEmail("carol@partner.example", KeyType.EC_P256)).certificatePem());
        Path anchor = Files.writeString(work.resolve("ca.pem"), ca.certificatePem());

        assertThat(keys("import-p12", p12.toString(), "--password-file", password.toString(), "--master-key", masterKey.toString()))
            .contains("imported managed key for alice@demo.sealgate.test");
        assertThat(keys("import-cert", carol.toString())).contains("imported certificate for carol@partner.example");
        assertThat(keys("import-ca", anchor.toString())).contains("trusted");

        String list = keys("list", "--master-key", masterKey.toString());
        assertThat(list).contains("alice@demo.sealgate.test").contains("carol@partner.example").contains("CN=Keys CLI CA");
        assertThat(keys("list")).contains("give --master-key FILE").contains("carol@partner.example")
            .doesNotContain("alice@demo.sealgate.test  until");
        assertThat(keys("export-cert", "alice@demo.sealgate.test", "--master-key", masterKey.toString()))
            .isEqualTo(alice.certificatePem());
        assertThat(keys("remove", "carol@partner.example")).contains("removed 1 entries");
        assertThat(keys("list")).doesNotContain("carol@partner.example");
    }

    @Test
    void openPgpKeysShouldBeImportedListedExportedAndRemovedInTheClusterKeyStore() throws Exception {
        OpenPGPKey alice = PgpKeys.generate("Alice <alice@demo.sealgate.test>", 4);
        OpenPGPKey dana = PgpKeys.generate("Dana <dana@partner.example>", 6);
        Path secret = Files.writeString(work.resolve("alice.sec.asc"), alice.toAsciiArmoredString());
        Path partner = Files.writeString(work.resolve("dana.asc"), PgpKeys.armored(dana.toCertificate()));

        assertThat(keys("import-pgp", partner.toString())).contains("imported OpenPGP key for dana@partner.example");
        assertThat(keys("import-pgp", secret.toString(), "--master-key", masterKey.toString()))
            .contains("imported managed OpenPGP key for alice@demo.sealgate.test");

        assertThat(keys("list", "--master-key", masterKey.toString()))
            .contains("alice@demo.sealgate.test  v4  " + PgpKeys.fingerprint(alice))
            .contains("dana@partner.example  v6  imported  " + PgpKeys.fingerprint(dana));
        assertThat(keys("export-pgp", "alice@demo.sealgate.test", "--master-key", masterKey.toString()))
            .contains("BEGIN PGP PUBLIC KEY BLOCK");
        assertThat(keys("remove", "dana@partner.example")).contains("removed 1 entries");
        assertThat(keys("list", "--master-key", masterKey.toString())).doesNotContain("dana@partner.example")
            .contains("alice@demo.sealgate.test");
    }

    @Test
    void keysDiscoveredByANodeShouldBeListedWithTheirSourceAndRemovedFromTheSharedFolder() throws Exception {
        OpenPGPKey fay = PgpKeys.generate("Fay <fay@keys.example>", 4);
        java.time.Instant found = java.time.Instant.parse("2026-12-06T05:40:00Z");
        try (org.apache.curator.framework.CuratorFramework client = org.sealgate.zk.store.ZkClients.node(
                zooKeeper.getConnectString(), org.sealgate.zk.store.ZkClients.DEFAULT_NAMESPACE,
                new org.sealgate.zk.store.DigestCredentials("node", "node-secret"));
             org.sealgate.zk.keys.ZkDiscoveredKeyStore node = org.sealgate.zk.keys.ZkDiscoveredKeyStores.forNode(client,
                 new org.sealgate.zk.store.DigestCredentials("node", "node-secret").identity(), work.resolve("copy.json"))) {
            client.start();
            node.start();
            assertThat(node.awaitInitialized(java.time.Duration.ofSeconds(20))).isTrue();
            node.store(org.sealgate.keys.discovery.DiscoveredKey.openPgp("fay@keys.example",
                "wkd https://openpgpkey.keys.example/.well-known/openpgpkey/keys.example/hu/x", found, fay.toCertificate()));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> keys("list").contains("fay@keys.example"));
        }

        assertThat(keys("list")).contains("fay@keys.example  OpenPGP v4  " + PgpKeys.fingerprint(fay.toCertificate())
            + "  source wkd https://openpgpkey.keys.example/.well-known/openpgpkey/keys.example/hu/x  found 2026-12-06T05:40:00Z");
        assertThat(keys("remove", "fay@keys.example")).contains("removed 1 entries");
        assertThat(keys("list")).doesNotContain("fay@keys.example");
    }

    private String keys(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--zk", zooKeeper.getConnectString(), "--admin-credentials", admin.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(KeysCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
