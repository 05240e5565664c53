package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.GinaFiles;
import org.sealgate.node.ClusterSettings;
import org.sealgate.testing.FreePorts;
import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.NodeEntry;
import org.sealgate.zk.config.NodeRole;
import org.sealgate.zk.registry.NodeRegistration;
import org.sealgate.zk.registry.NodeRegistry;
import org.sealgate.zk.registry.NodeStatus;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.StoredConfig;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.tls.ZkTlsAuthority;

/**
 * {@code sealgate setup} with {@code cluster = new} on node 1, the ZooKeeper member it configures started from the
 * written {@code zookeeper.cfg} with the shipped jars ({@code QuorumPeerMain} in a child JVM, TLS only), then
 * {@code cluster join} of node 1 (which creates the cluster) and of further nodes, and the refusals. The tests
 * build on each other in order: one ensemble for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SetupNewClusterTest {
    @TempDir
    static Path dir;
    private Process zooKeeper;
    private int clientPort;

    private Path config1() {
        return dir.resolve("node1/etc");
    }

    private Path data1() {
        return dir.resolve("node1/var");
    }

    private String newClusterAnswers() {
        return """
            node.id = gw1
            node.hostname = gw1.example.org
            node.addresses = 198.18.17.1
            domains.managed = example.org
            smtp.host = 127.0.0.1
            smtp.port = 2525
            cluster = new
            zk.host = 127.0.0.1
            zk.port = %d
            zk.quorum-ports = %d:%d
            vip.address = 198.18.17.10
            vip.interface = eth0
            gina.host-name = gina.example.org
            console = on
            """;
    }

    private String answers1;

    @BeforeAll
    void setUpFirstNodeAndStartItsZooKeeper() throws Exception {
        clientPort = FreePorts.next();
        answers1 = newClusterAnswers().formatted(clientPort, FreePorts.next(), FreePorts.next());
        Result first = setup(answers1, config1(), data1(), "--no-join");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("sealgate cluster join --data " + data1());

        // What the sealgate-zookeeper unit runs: QuorumPeerMain on CONFIG/zookeeper.cfg, from the node's jars.
        zooKeeper = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), "org.apache.zookeeper.server.quorum.QuorumPeerMain",
            config1().resolve(ZooKeeperMemberConfig.FILE_NAME).toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("zookeeper.log").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!listening(clientPort)) {
            assertThat(zooKeeper.isAlive()).as("ZooKeeper from zookeeper.cfg died: %s", log()).isTrue();
            assertThat(Instant.now()).as("ZooKeeper not listening within 60 s: %s", log()).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    @AfterAll
    void stopZooKeeper() throws Exception {
        if (zooKeeper != null) {
            zooKeeper.destroy();
            if (!zooKeeper.waitFor(20, TimeUnit.SECONDS)) {
                zooKeeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Order(1)
    void newClusterSetupShouldWriteAnEnsembleMemberServingTlsOnlyAndKeepEverySecretOwnerOnly() throws Exception {
        String cfg = Files.readString(config1().resolve(ZooKeeperMemberConfig.FILE_NAME));
        assertThat(cfg).contains("secureClientPort=" + clientPort, "ssl.clientAuth=need",
            "# server.1=127.0.0.1:");
        assertThat(cfg.lines()).noneMatch(l -> l.startsWith("clientPort="));
        assertThat(Files.readString(data1().resolve("zookeeper/myid")).strip()).isEqualTo("1");
        ClusterSettings cluster = ClusterSettings.load(data1()).orElseThrow();
        assertThat(cluster.connect()).isEqualTo("127.0.0.1:" + clientPort);
        assertThat(ClusterSettings.tls(data1())).isPresent();
        for (String secret : List.of(ClusterSettings.ADMIN_CREDENTIALS_FILE, ClusterSettings.NODE_CREDENTIALS_FILE,
                                     GinaFiles.ZK_CREDENTIALS, ClusterSettings.MASTER_KEY_FILE, "zk-tls/" + ZkTlsAuthority.CA_KEY,
                                     "zk-tls/zookeeper-1.p12.password", "zk-tls/admin.p12.password", "zk-tls/node-gw1.p12.password",
                                     "zk-tls/portal.p12.password", "console/tls/console.p12.password")) {
            assertThat(mode(data1().resolve(secret))).as(secret).isEqualTo("rw-------");
        }
        assertThat(mode(data1())).isEqualTo("rwx------");
        assertThat(mode(data1().resolve("secrets"))).isEqualTo("rwx------");
        // Nothing secret in the settings an administrator reads.
        for (Path file : List.of(config1().resolve("sealgate.properties"), config1().resolve(ZooKeeperMemberConfig.FILE_NAME),
                                 config1().resolve(ConsoleSetup.PROPERTIES))) {
            assertThat(mode(file)).isEqualTo("rw-r-----");
            String text = Files.readString(file);
            for (String credentials : List.of(ClusterSettings.ADMIN_CREDENTIALS_FILE, ClusterSettings.NODE_CREDENTIALS_FILE)) {
                String password = Files.readString(data1().resolve(credentials)).strip().split(":", 2)[1];
                assertThat(text).doesNotContain(password);
            }
        }
    }

    @Test
    @Order(2)
    void setupRerunShouldCreateTheClusterListingThisNodeAndPrepareGinaThenChangeNothing() throws Exception {
        Result second = setup(answers1, config1(), data1());
        assertThat(second.status()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains("cluster created: configuration version 1", "/gina prepared");

        try (AdminSession session = AdminSession.open(ZkTarget.from(new Arguments(List.of("--data", data1().toString()), java.util.Set.of("data"))))) {
            StoredConfig stored = session.reader().show().orElseThrow();
            assertThat(stored.version()).isEqualTo(1);
            ConfigDocument document = ConfigDocument.parse(stored.document());
            assertThat(document.config().nodes()).containsExactly(new NodeEntry("gw1", List.of("198.18.17.1"), NodeRole.PRIMARY, 150));
            assertThat(document.config().gina().hostName()).isEqualTo("gina.example.org");
            assertThat(session.reader().history().get(0).message()).contains("gw1");
            assertThat(session.client().checkExists().forPath("/gina/accounts")).isNotNull();
        }
        assertThat(Files.readString(config1().resolve(GinaInitCommand.PROPERTIES))).contains("public.url=https://gina.example.org:8443",
            "zk.credentials=../" + GinaFiles.ZK_CREDENTIALS, "zk.tls.keystore=../zk-tls/portal.p12");
        assertThat(Files.isSymbolicLink(data1().resolve("gina/" + GinaInitCommand.PROPERTIES))).isTrue();
        assertThat(mode(data1().resolve("gina/tls/portal.p12.password"))).isEqualTo("rw-------");

        Result third = setup(answers1, config1(), data1());
        assertThat(third.status()).as(third.err()).isZero();
        assertThat(third.out()).contains("already listed as it is");
        assertThat(version()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void secondNodeShouldJoinOverTlsWithTheClusterIdentitiesAndARerunShouldChangeNothing() throws Exception {
        Path config2 = dir.resolve("node2/etc");
        Path data2 = dir.resolve("node2/var");
        Path identity = ZkTlsAuthority.load(data1().resolve("zk-tls")).issue("node-gw2", List.of(), Instant.now());
        String answers = joinAnswers("gw2", "198.18.17.2", data1().resolve(ClusterSettings.NODE_CREDENTIALS_FILE))
            + "zk.tls = on\nzk.tls.identity = " + identity + "\n";

        Result joined = setup(answers, config2, data2);

        assertThat(joined.status()).as(joined.out() + joined.err()).isZero();
        assertThat(version()).isEqualTo(2);
        assertThat(document().config().nodes()).contains(new NodeEntry("gw2", List.of("198.18.17.2"), NodeRole.SECONDARY, 100));
        assertThat(mode(data2.resolve("zk-tls/node-gw2.p12.password"))).isEqualTo("rw-------");
        assertThat(Files.exists(data2.resolve("zk-tls/" + ZkTlsAuthority.CA_KEY))).isFalse();   // the CA key stays on node 1
        assertThat(Files.readString(data2.resolve(GinaFiles.KEY_RING))).isEqualTo(Files.readString(data1().resolve(GinaFiles.KEY_RING)));

        Result again = setup(answers, config2, data2);
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("already listed as it is");
        assertThat(version()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void joinShouldRefuseANodeIdAnotherLiveNodeHasRegisteredAndChangeNothing() throws Exception {
        // "gw1" runs elsewhere: a live registry entry under its id, registered with the node identity over TLS.
        DigestCredentials node = DigestCredentials.fromFile(data1().resolve(ClusterSettings.NODE_CREDENTIALS_FILE));
        try (CuratorFramework client = ZkClients.node("127.0.0.1:" + clientPort, ZkClients.DEFAULT_NAMESPACE, node,
            ClusterSettings.tls(data1()))) {
            client.start();
            assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            NodeStatus status = new NodeStatus("gw1", List.of("198.18.17.1:25"), "primary", 2, null, "ok", "2026-01-01T00:00:00Z");
            try (NodeRegistration registration = NodeRegistry.register(client, node.identity(), "gw1", () -> status,
                Duration.ofSeconds(1))) {
                registration.start();
                awaitRegistered("gw1");
                Path identity = ZkTlsAuthority.load(data1().resolve("zk-tls")).issue("node-impostor", List.of(), Instant.now());
                String answers = joinAnswers("gw1", "198.18.17.66", data1().resolve(ClusterSettings.NODE_CREDENTIALS_FILE))
                    .replace("node.role = secondary", "node.role = primary")
                    + "zk.tls = on\nzk.tls.identity = " + identity + "\n";

                Result taken = setup(answers, dir.resolve("impostor/etc"), dir.resolve("impostor/var"));

                assertThat(taken.status()).isEqualTo(1);
                assertThat(taken.err()).contains("node id 'gw1' is registered by another live node", "Nothing changed");
                assertThat(version()).isEqualTo(2);
                assertThat(document().config().nodes()).extracting(NodeEntry::addresses).doesNotContain(List.of("198.18.17.66"));
            }
        }
    }

    @Test
    @Order(5)
    void joinWithWrongNodeCredentialsShouldBeRefusedNamingTheCredentials() throws Exception {
        Path wrong = dir.resolve("wrong.credentials");
        Files.writeString(wrong, "node:not-the-password\n");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
        Path identity = ZkTlsAuthority.load(data1().resolve("zk-tls")).issue("node-gw4", List.of(), Instant.now());
        Path data4 = dir.resolve("node4/var");
        String answers = joinAnswers("gw4", "198.18.17.4", wrong) + "zk.tls = on\nzk.tls.identity = " + identity + "\n";
        // Without admin credentials setup writes the files only; cluster join is what checks the node identity.
        String filesOnly = answers.lines().filter(l -> !l.startsWith("zk.admin-credentials")).reduce("", (a, l) -> a + l + "\n");
        assertThat(setup(filesOnly, dir.resolve("node4/etc"), data4).status()).isZero();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ClusterCommand.run(List.of("join", "--data", data4.toString(), "--admin-credentials",
            data1().resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE).toString()), print(out), print(err));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refused this node's credentials");
        assertThat(document().config().nodes()).extracting(NodeEntry::id).doesNotContain("gw4");
    }

    private String joinAnswers(String id, String address, Path nodeCredentials) {
        return """
            node.id = %s
            node.role = secondary
            node.addresses = %s
            domains.managed = example.org
            smtp.host = 127.0.0.1
            smtp.port = 2535
            cluster = join
            zk.connect = 127.0.0.1:%d
            zk.credentials = %s
            zk.admin-credentials = %s
            master-key = %s
            gina.credentials = %s
            gina.keys = %s
            gina.session-keys = %s
            """.formatted(id, address, clientPort, nodeCredentials, data1().resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE),
            data1().resolve(ClusterSettings.MASTER_KEY_FILE), data1().resolve(GinaFiles.ZK_CREDENTIALS),
            data1().resolve(GinaFiles.KEY_RING), data1().resolve(GinaInitCommand.SESSION_KEYS));
    }

    private void awaitRegistered(String id) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try (AdminSession session = adminSession()) {
                if (session.nodes().stream().anyMatch(n -> n.id().equals(id))) {
                    return;
                }
            }
            assertThat(Instant.now()).as("registry entry %s", id).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private AdminSession adminSession() throws Exception {
        return AdminSession.open(ZkTarget.from(new Arguments(List.of("--data", data1().toString()), java.util.Set.of("data"))));
    }

    private int version() throws Exception {
        try (AdminSession session = adminSession()) {
            return session.reader().currentVersion();
        }
    }

    private ConfigDocument document() throws Exception {
        try (AdminSession session = adminSession()) {
            return ConfigDocument.parse(session.reader().show().orElseThrow().document());
        }
    }

    private record Result(int status, String out, String err) {
    }

    private Result setup(String answers, Path config, Path data, String... extra) throws IOException {
        Path file = Files.createTempFile(dir, "answers", ".properties");
        Files.writeString(file, answers);
        List<String> args = new ArrayList<>(List.of("--from", file.toString(), "--config", config.toString(),
            "--data", data.toString()));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SetupCommand.run(args, new StringReader(""), print(out), print(err));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try (Stream<String> lines = Files.lines(dir.resolve("zookeeper.log"))) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
