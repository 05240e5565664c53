package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.Prerequisites;
import org.sealgate.zk.tls.ZkTlsServerConfig;

/**
 * An admin's path to a TLS-only ZooKeeper: {@code cluster tls-init}/{@code tls-issue} mint the CA and identities,
 * the CLI applies a document with {@code --zk-tls}, the same command without it gets nowhere, and OpenSSL (an
 * independent TLS stack) sees a server that verifies against the cluster CA, speaks TLS 1.2+ and nothing older.
 */
class ZkTlsCommandTest {
    @TempDir
    Path work;
    private EmbeddedZooKeeper zooKeeper;

    @AfterEach
    void stop() {
        if (zooKeeper != null) {
            zooKeeper.close();
        }
        ZkTlsServerConfig.clearSystemProperties();
    }

    @Test
    void cliShouldApplyTheConfigurationOnlyOverTlsWithIssuedIdentities() throws Exception {
        Path pki = work.resolve("pki");
        assertThat(cluster("tls-init", pki.toString())).isZero();
        assertThat(Files.getPosixFilePermissions(pki.resolve("ca.key.pem")))
            .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThatThrownBy(() -> cluster("tls-init", pki.toString())).isInstanceOf(IOException.class)
            .hasMessageContaining("already holds a CA");
        assertThat(cluster("tls-issue", pki.toString(), "--identity", DemoTls.SERVER, "--host", "127.0.0.1,localhost")).isZero();
        assertThat(cluster("tls-issue", pki.toString(), "--identity", "admin")).isZero();
        assertThat(Files.getPosixFilePermissions(pki.resolve("admin.p12.password")))
            .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        zooKeeper = startZooKeeper(pki);
        Path admin = secret("admin.credentials", "admin:admin-secret");
        Path node = secret("node.credentials", "node:node-secret");
        Path document = Files.writeString(work.resolve("cluster.yaml"), DemoCluster.INITIAL_DOCUMENT);

        Output applied = config("apply", document.toString(), "--zk", zooKeeper.connectString(), "--admin-credentials",
            admin.toString(), "--node-credentials", node.toString(), "--zk-tls", pki.resolve("admin.properties").toString());
        assertThat(applied.status).as(applied.err).isZero();
        assertThat(applied.out).contains("applied configuration version 1");

        Output plaintext = config("show", "--zk", zooKeeper.connectString(), "--admin-credentials", admin.toString());
        assertThat(plaintext.status).isNotZero();
        assertThat(plaintext.err).contains("cannot reach ZooKeeper");

        Output shown = config("show", "--zk", zooKeeper.connectString(), "--admin-credentials", admin.toString(),
            "--zk-tls", pki.resolve("admin.properties").toString());
        assertThat(shown.out).contains("# configuration version 1").contains("name: partner.example");
    }

    @Test
    void opensslShouldSeeATls12PlusServerWithACertificateFromTheClusterCa() throws Exception {
        Prerequisites.require(new ProcessBuilder("openssl", "version").start().waitFor() == 0, "openssl");
        Path pki = work.resolve("pki");
        cluster("tls-init", pki.toString());
        cluster("tls-issue", pki.toString(), "--identity", DemoTls.SERVER, "--host", "127.0.0.1");
        cluster("tls-issue", pki.toString(), "--identity", "admin");
        zooKeeper = startZooKeeper(pki);
        String port = zooKeeper.connectString().substring(zooKeeper.connectString().lastIndexOf(':') + 1);
        shell(pki, "openssl pkcs12 -in admin.p12 -passin file:admin.p12.password -nodes -out admin.pem");

        String tls12 = shell(pki, "openssl s_client -connect 127.0.0.1:" + port + " -tls1_2 -CAfile ca.pem -verify_return_error"
            + " -verify_ip 127.0.0.1 -cert admin.pem -key admin.pem < /dev/null");
        assertThat(tls12).contains("Verify return code: 0 (ok)").contains("Protocol  : TLSv1.2");
        String tls13 = shell(pki, "openssl s_client -connect 127.0.0.1:" + port + " -tls1_3 -CAfile ca.pem -verify_return_error"
            + " -cert admin.pem -key admin.pem < /dev/null");
        assertThat(tls13).contains("Verify return code: 0 (ok)").contains("TLSv1.3");
        String tls11 = shell(pki, "openssl s_client -connect 127.0.0.1:" + port + " -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'"
            + " -CAfile ca.pem -cert admin.pem -key admin.pem < /dev/null");
        assertThat(tls11).as("the server answers TLS 1.1 with a protocol_version alert").contains("alert protocol version")
            .contains("Cipher is (NONE)").contains("no peer certificate available");
    }

    /** On a free port of its own, never the demo's 2181 (another run may hold it, or take it between check and bind). */
    private EmbeddedZooKeeper startZooKeeper(Path pki) throws Exception {
        Path directory = Files.createDirectories(work.resolve("zookeeper"));
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Files.writeString(directory.resolve("client-port"), socket.getLocalPort() + "\n");
        }
        return EmbeddedZooKeeper.start(directory, pki);
    }

    private int cluster(String... args) throws IOException {
        return ClusterCommand.run(List.of(args), new PrintStream(new ByteArrayOutputStream()), System.err);
    }

    private Output config(String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ConfigCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path secret(String name, String content) throws IOException {
        Path file = Files.writeString(work.resolve(name), content + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String shell(Path directory, String command) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", "timeout 20 " + command).directory(directory.toFile())
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private record Output(int status, String out, String err) {
    }
}
