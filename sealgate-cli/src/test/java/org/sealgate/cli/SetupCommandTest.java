package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.node.ClusterSettings;
import org.sealgate.node.NodeSettings;
import org.sealgate.zk.keys.ClusterMasterKey;

class SetupCommandTest {
    @TempDir
    Path dir;

    private Path config() {
        return dir.resolve("etc");
    }

    private Path data() {
        return dir.resolve("var");
    }

    private int setup(String answers, String... extra) throws IOException {
        Path file = dir.resolve("answers.properties");
        Files.writeString(file, answers);
        List<String> args = new java.util.ArrayList<>(List.of("--from", file.toString(),
            "--config", config().toString(), "--data", data().toString()));
        args.addAll(List.of(extra));
        return SetupCommand.run(args, new StringReader(""), quiet(), quiet());
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void setupFromFileShouldWriteSettingsTheNodeReadsThroughTheDataDirectory() throws Exception {
        int status = setup("""
            node.id = gw1
            node.hostname = gw1.example.org
            domains.managed = Example.org, example.net
            smtp.host = 0.0.0.0
            smtp.port = 2525
            smtp.trusted-networks = 10.0.0.0/8, 127.0.0.1/32
            delivery.relay = 192.0.2.25:25
            """);

        assertThat(status).isZero();
        NodeSettings node = NodeSettings.load(data());
        assertThat(node.hostname()).isEqualTo("gw1.example.org");
        assertThat(node.smtpPort()).isEqualTo(2525);
        assertThat(node.managedDomains()).containsExactly("example.org", "example.net");
        assertThat(node.trustedNetworks()).containsExactly("10.0.0.0/8", "127.0.0.1/32");
        assertThat(node.relay()).contains("192.0.2.25:25");
        assertThat(ClusterSettings.load(data())).isEmpty();   // standalone: no ZooKeeper
        // Settings live in the configuration directory; the data directory links to them.
        assertThat(Files.isSymbolicLink(data().resolve("sealgate.properties"))).isTrue();
        assertThat(Files.readSymbolicLink(data().resolve("sealgate.properties"))).isEqualTo(config().resolve("sealgate.properties"));
        assertThat(Files.readString(data().resolve("policy.properties"))).contains("default.encrypt = opportunistic");
        assertThat(mode(data())).isEqualTo("rwx------");
        assertThat(mode(config().resolve("sealgate.properties"))).isEqualTo("rw-r-----");
        assertThat(Files.list(config()).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".setup"));
    }

    @Test
    void rerunShouldKeepTheMasterKeyAndOtherSettingsAndRefuseAnotherKey() throws Exception {
        Path credentials = dir.resolve("node.credentials");
        Files.writeString(credentials, "node:s3cret-node\n");
        String join = """
            node.id = gw2
            domains.managed = example.org
            cluster = join
            zk.connect = 127.0.0.1:2181
            zk.credentials = %s
            master-key = create
            """.formatted(credentials);
        assertThat(setup(join)).isZero();
        Path keyFile = data().resolve("secrets/cluster-master.key");
        String keyId = ClusterMasterKey.fromFile(keyFile).keyId();
        ClusterSettings.set(data(), "gina.signer", "alice@example.org");   // a setting setup does not manage

        assertThat(setup(join)).isZero();

        assertThat(ClusterMasterKey.fromFile(keyFile).keyId()).isEqualTo(keyId);
        assertThat(mode(keyFile)).isEqualTo("rw-------");
        assertThat(mode(data().resolve("secrets/zk-node.credentials"))).isEqualTo("rw-------");
        ClusterSettings cluster = ClusterSettings.load(data()).orElseThrow();
        assertThat(cluster.connect()).isEqualTo("127.0.0.1:2181");
        assertThat(cluster.nodeId()).isEqualTo("gw2");
        assertThat(cluster.masterKey()).isEqualTo(keyFile);
        assertThat(Files.readString(config().resolve("sealgate.properties"))).contains("gina.signer = alice@example.org")
            .doesNotContain("s3cret");

        Path other = dir.resolve("other.key");
        ClusterMasterKey.create(other);
        assertThatThrownBy(() -> setup(join.replace("master-key = create", "master-key = " + other)))
            .hasMessageContaining("holds another cluster master key");
        assertThat(ClusterMasterKey.fromFile(keyFile).keyId()).isEqualTo(keyId);
    }

    @Test
    void interactiveSetupShouldAskEachQuestionAndOfferTheValuesInForceOnARerun() throws Exception {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        String typed = String.join("\n", "gw3", "", "", "example.org", "127.0.0.1", "2526", "", "", "", "") + "\n";
        int status = SetupCommand.run(List.of("--config", config().toString(), "--data", data().toString()),
            new StringReader(typed), new PrintStream(shown, true, StandardCharsets.UTF_8), quiet());

        assertThat(status).isZero();
        assertThat(shown.toString(StandardCharsets.UTF_8)).contains("Managed domains", "SMTP port [25]", "Next hop");
        NodeSettings node = NodeSettings.load(data());
        assertThat(node.hostname()).isEqualTo("gw3");
        assertThat(node.smtpPort()).isEqualTo(2526);
        assertThat(node.relay()).isEmpty();

        // A re-run offers what is in force: empty answers keep it.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        String enter = "\n".repeat(10);
        assertThat(SetupCommand.run(List.of("--config", config().toString(), "--data", data().toString()),
            new StringReader(enter), new PrintStream(again, true, StandardCharsets.UTF_8), quiet())).isZero();
        assertThat(again.toString(StandardCharsets.UTF_8)).contains("SMTP port [2526]", "Managed domains (comma-separated) [example.org]");
        assertThat(NodeSettings.load(data()).smtpPort()).isEqualTo(2526);
    }

    @Test
    void importedSmtpCertificateShouldBeCopiedOwnerOnlyAndAKeyThatIsNoPemRefused() throws Exception {
        IssuedIdentity identity = CertificateIssuer.newCa("Test CA").issue(IssueRequest.forEmail("gw@example.org", KeyType.RSA_2048));
        Path cert = dir.resolve("smtp.pem");
        Path key = dir.resolve("smtp.key");
        identity.writePem(cert, key);
        String answers = "domains.managed = example.org\ntls.smtp.cert = " + cert + "\ntls.smtp.key = " + key + "\n";

        assertThat(setup(answers)).isZero();

        assertThat(Files.readString(data().resolve("tls/smtp-cert.pem"))).isEqualTo(Files.readString(cert));
        assertThat(mode(data().resolve("tls/smtp-key.pem"))).isEqualTo("rw-------");
        Files.writeString(key, "not a key");
        assertThatThrownBy(() -> setup(answers)).hasMessageContaining("has no PEM PRIVATE KEY");
    }

    @Test
    void answersShouldBeValidatedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> setup("domains.managed = example.org\nsmtp.prot = 25\n")).hasMessageContaining("unknown key 'smtp.prot'");
        assertThatThrownBy(() -> setup("smtp.port = 25\n")).hasMessageContaining("domains.managed is required");
        assertThatThrownBy(() -> setup("domains.managed = example.org\ncluster = join\n")).hasMessageContaining("needs zk.connect");
        assertThatThrownBy(() -> setup("domains.managed = example.org\ncluster = brand-new\n")).hasMessageContaining("'standalone', 'join' or 'new'");
        assertThatThrownBy(() -> setup("domains.managed = example.org\ncluster = new\nzk.quorum-ports = 2888\n"))
            .hasMessageContaining("zk.quorum-ports is PEER:ELECTION");
        assertThatThrownBy(() -> setup("domains.managed = example.org\ndelivery.relay = nohost\n")).hasMessageContaining("HOST:PORT");
        assertThat(config()).doesNotExist();
        assertThat(data()).doesNotExist();
    }

    @Test
    void joinShouldFailClosedWhenZooKeeperCannotBeReachedWithTheAdminCredentials() throws Exception {
        Path credentials = dir.resolve("node.credentials");
        Files.writeString(credentials, "node:pw\n");
        Path admin = dir.resolve("admin.credentials");
        Files.writeString(admin, "admin:pw\n");
        int port = org.sealgate.testing.FreePorts.next();
        int status = setup("""
            domains.managed = example.org
            cluster = join
            zk.connect = 127.0.0.1:%d
            zk.credentials = %s
            zk.admin-credentials = %s
            """.formatted(port, credentials, admin));

        assertThat(status).isEqualTo(1);
        assertThat(config()).doesNotExist();
        assertThat(Optional.of(data()).filter(Files::exists)).isEmpty();
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
