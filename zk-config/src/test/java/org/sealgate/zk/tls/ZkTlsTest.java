package org.sealgate.zk.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.zk.config.Documents;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkTestSupport;

/**
 * ZooKeeper's own client/server TLS against a real server that has no plaintext port: the attacker is on the
 * network between the clients and ZooKeeper, or connects to it themselves.
 */
class ZkTlsTest {
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(4);

    @TempDir
    Path directory;
    private Path pki;
    private ZkTlsAuthority authority;
    private TlsZooKeeper server;

    @BeforeEach
    void makeCluster() throws Exception {
        pki = directory.resolve("pki");
        authority = ZkTlsAuthority.create(pki, "Test ZooKeeper CA", Instant.now());
        authority.issue("admin", List.of(), Instant.now());
        authority.issue("node", List.of(), Instant.now());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void adminAndNodeShouldWriteAndReadTheConfigurationOverMutualTls() throws Exception {
        server = startServer(List.of("127.0.0.1", "localhost"), Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));
        try (CuratorFramework admin = ZkClients.admin(server.connectString(), ZkClients.DEFAULT_NAMESPACE, ZkTestSupport.ADMIN,
                 ZkTestSupport.ACLS, Optional.of(client("admin")));
             CuratorFramework node = ZkClients.node(server.connectString(), ZkClients.DEFAULT_NAMESPACE, ZkTestSupport.NODE,
                 Optional.of(client("node")))) {
            assertThat(connects(admin)).isTrue();
            ConfigStore store = new ConfigStore(admin, ZkTestSupport.ACLS, "admin");
            store.initialize();
            store.apply(Documents.valid(), 0);
            assertThat(connects(node)).isTrue();
            assertThat(new ConfigStore(node, ZkTestSupport.ACLS, "node").show().orElseThrow().document())
                .isEqualTo(Documents.valid());
        }
        assertThat(server.plaintextPort()).as("no plaintext client port").isLessThanOrEqualTo(0);
    }

    @Test
    void plaintextClientShouldBeRefusedByTheTlsPort() throws Exception {
        server = startServer(List.of("127.0.0.1"), Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));
        try (CuratorFramework plaintext = ZkClients.node(server.connectString(), ZkClients.DEFAULT_NAMESPACE, ZkTestSupport.NODE)) {
            assertThat(connects(plaintext)).isFalse();
        }
        // A hand-made ZooKeeper ConnectRequest in clear gets no ZooKeeper answer: the connection closes, or a TLS
        // alert comes back (a record starting 0x15), never a ConnectResponse (a 4-byte length starting 0x00).
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
            socket.setSoTimeout(4_000);
            OutputStream out = socket.getOutputStream();
            ByteBuffer request = ByteBuffer.allocate(4 + 44);
            request.putInt(44).putInt(0).putLong(0).putInt(30_000).putLong(0).putInt(16).put(new byte[16]);
            out.write(request.array());
            out.flush();
            InputStream in = socket.getInputStream();
            int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException | java.net.SocketException e) {
                first = -1;
            }
            assertThat(first).as("first byte of the answer").isIn(-1, 0x15);
        }
    }

    @Test
    void clientWithACertificateFromAnotherCaShouldBeRefused() throws Exception {
        server = startServer(List.of("127.0.0.1"), Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));
        Path otherPki = directory.resolve("other");
        ZkTlsAuthority.create(otherPki, "Attacker CA", Instant.now()).issue("node", List.of(), Instant.now());
        // The attacker trusts the real CA (it is public), but their certificate comes from their own.
        ZkTlsSettings attacker = new ZkTlsSettings(otherPki.resolve("node.p12"), otherPki.resolve("node.p12.password"),
            pki.resolve(ZkTlsAuthority.CA_CERTIFICATE), Optional.empty(), true);
        try (CuratorFramework client = ZkClients.node(server.connectString(), ZkClients.DEFAULT_NAMESPACE, ZkTestSupport.NODE,
            Optional.of(attacker))) {
            assertThat(connects(client)).isFalse();
        }
    }

    @Test
    void clientShouldRefuseAServerCertificateNamingAnotherHost() throws Exception {
        server = startServer(List.of("zk.elsewhere.example", "198.18.0.1"), Instant.now().minusSeconds(60),
            Instant.now().plus(Duration.ofDays(1)));
        try (CuratorFramework client = ZkClients.node(server.connectString(), ZkClients.DEFAULT_NAMESPACE, ZkTestSupport.NODE,
            Optional.of(client("node")))) {
            assertThat(connects(client)).isFalse();
        }
        // The same server and CA with the host check switched off connects: it was the host name that failed.
        ZkTlsSettings unchecked = new ZkTlsSettings(pki.resolve("node.p12"), pki.resolve("node.p12.password"),
            pki.resolve(ZkTlsAuthority.CA_CERTIFICATE), Optional.empty(), false);
        try (CuratorFramework client = ZkClients.node(server.connectString(), ZkClients.DEFAULT_NAMESPACE, ZkTestSupport.NODE,
            Optional.of(unchecked))) {
            assertThat(connects(client)).isTrue();
        }
    }

    @Test
    void clientShouldRefuseAnExpiredServerCertificate() throws Exception {
        server = startServer(List.of("127.0.0.1"), Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)));
        try (CuratorFramework client = ZkClients.node(server.connectString(), ZkClients.DEFAULT_NAMESPACE, ZkTestSupport.NODE,
            Optional.of(client("node")))) {
            assertThat(connects(client)).isFalse();
        }
    }

    private TlsZooKeeper startServer(List<String> hosts, Instant notBefore, Instant notAfter) throws Exception {
        authority.issue("zookeeper", hosts, notBefore, notAfter);
        return TlsZooKeeper.start(directory.resolve("zookeeper"), pki, "zookeeper");
    }

    private ZkTlsSettings client(String identity) throws Exception {
        return ZkTlsSettings.fromFile(pki.resolve(identity + ".properties"));
    }

    private static boolean connects(CuratorFramework client) throws InterruptedException {
        if (client.getState() == org.apache.curator.framework.imps.CuratorFrameworkState.LATENT) {
            client.start();
        }
        return client.blockUntilConnected((int) REFUSED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    }
}
