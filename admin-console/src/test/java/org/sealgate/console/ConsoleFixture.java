package org.sealgate.console;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.eclipse.jetty.server.Server;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.gina.portal.PortalTls;
import org.sealgate.gina.throttle.Throttle;
import org.sealgate.testing.RecordingHttpEndpoint;
import org.sealgate.testing.TestPki;
import org.sealgate.zk.config.Documents;
import org.sealgate.zk.keys.ZkKeyDirectories;
import org.sealgate.zk.keys.ZkKeyDirectory;
import org.sealgate.zk.keys.ZkPgpKeyDirectories;
import org.sealgate.zk.keys.ZkPgpKeyDirectory;
import org.sealgate.zk.console.AdminAccounts;
import org.sealgate.zk.console.Totp;
import org.sealgate.zk.registry.NodeRegistration;
import org.sealgate.zk.registry.NodeRegistry;
import org.sealgate.zk.registry.NodeStatus;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkTestSupport;

/**
 * A real console on a free port over a real ZooKeeper (TestingServer): the configuration store with three
 * versions applied by the CLI admin, two registered nodes (node-a, node-b, through the node identity as real nodes
 * do), one console admin {@value #ADMIN} and a node audit directory with three mails.
 */
final class ConsoleFixture implements AutoCloseable {
    static final String ADMIN = "ops";
    static final String PASSWORD = "correct horse battery staple";
    // Weak Argon2 parameters: these tests are about the flows, not the hash cost.
    private static final PasswordHasher FAST = new PasswordHasher(1024, 1, 1);

    final TestingServer zooKeeper;
    final CuratorFramework admin;
    final CuratorFramework node;
    final List<NodeRegistration> registrations;
    final AdminAccounts accounts;
    final byte[] totpSecret;
    final Server server;
    final ConsoleContext context;
    final Path tlsKeystore;
    final Path auditFile;
    ZkKeyDirectory keys;
    ZkPgpKeyDirectory pgpKeys;

    private ConsoleFixture(TestingServer zooKeeper, CuratorFramework admin, CuratorFramework node, List<NodeRegistration> registrations,
                           AdminAccounts accounts, byte[] totpSecret, Server server, ConsoleContext context, Path tlsKeystore,
                           Path auditFile) {
        this.zooKeeper = zooKeeper;
        this.admin = admin;
        this.node = node;
        this.registrations = registrations;
        this.accounts = accounts;
        this.totpSecret = totpSecret;
        this.server = server;
        this.context = context;
        this.tlsKeystore = tlsKeystore;
        this.auditFile = auditFile;
    }

    static ConsoleFixture start(Path dir) throws Exception {
        return start(dir, Optional.empty());
    }

    /** With a node's metrics endpoint (or a stand-in) for the live counters. */
    static ConsoleFixture start(Path dir, Optional<RecordingHttpEndpoint> metrics) throws Exception {
        TestingServer zooKeeper = new TestingServer(true);
        try {
            return start(dir, zooKeeper, metrics);
        } catch (Exception | Error e) {
            zooKeeper.close();   // clients on it end with it; nothing else is started before the server
            throw e;
        }
    }

    private static ConsoleFixture start(Path dir, TestingServer zooKeeper, Optional<RecordingHttpEndpoint> metrics) throws Exception {
        CuratorFramework admin = ZkTestSupport.startedAdmin(zooKeeper.getConnectString());
        CuratorFramework node = ZkTestSupport.startedNode(zooKeeper.getConnectString());
        ConfigStore cli = new ConfigStore(admin, ZkTestSupport.ACLS, "cli-admin");
        cli.initialize();
        cli.apply(Documents.valid("opportunistic"), 0);
        cli.apply(Documents.valid("required"), 1);
        cli.apply(Documents.valid("off"), 2);
        // With a metrics endpoint: node-a publishes it as its admin address, node-b an address where nothing listens.
        Optional<String> adminA = metrics.map(m -> m.uri().getHost() + ":" + m.uri().getPort());
        Optional<String> adminB = metrics.isPresent() ? Optional.of("127.0.0.1:" + org.sealgate.testing.FreePorts.next())
            : Optional.empty();
        List<NodeRegistration> registrations = List.of(register(node, "node-a", "primary", adminA),
            register(node, "node-b", "secondary", adminB));
        registrations.forEach(NodeRegistration::start);

        Path auditDir = Files.createDirectories(dir.resolve("node-audit"));
        Files.writeString(auditDir.resolve("audit.jsonl.1"), mail("2026-12-05T10:00:00Z", "<old@demo>", "alice@demo.sealgate.test",
            "carol@partner.example", "encrypted"), StandardCharsets.UTF_8);
        Files.writeString(auditDir.resolve("audit.jsonl"), mail("2026-12-06T01:00:00Z", "<m1@demo>", "alice@demo.sealgate.test",
            "dave@partner.example", "bounced") + "not json\n"
            + mail("2026-12-06T01:05:00Z", "<m2@demo>", "bob@demo.sealgate.test", "carol@partner.example", "encrypted"),
            StandardCharsets.UTF_8);

        ZkKeyDirectory keys = ZkKeyDirectories.forAdmin(admin, Optional.empty());
        keys.start();
        ZkPgpKeyDirectory pgpKeys = ZkPgpKeyDirectories.forAdmin(admin, Optional.empty());
        pgpKeys.start();
        if (!pgpKeys.awaitInitialized(Duration.ofSeconds(10))) {
            throw new IllegalStateException("OpenPGP key store not read");
        }
        keys.addCertificate(TestPki.carolX25519().certificate());
        if (!keys.awaitInitialized(Duration.ofSeconds(10))) {
            throw new IllegalStateException("key store not read");
        }
        Clock clock = Clock.systemUTC();
        AdminAccounts accounts = new AdminAccounts(admin, ZkTestSupport.ADMIN.identity(), FAST, KeyRing.generate("c1"), clock);
        byte[] secret = Totp.fromBase32(accounts.create(ADMIN, PASSWORD).secretBase32());
        Path auditFile = dir.resolve("console").resolve("console-audit.jsonl");
        ConsoleContext context = new ConsoleContext(admin, accounts, new ConsoleSessions(Duration.ofMinutes(15), Duration.ofHours(8), clock),
            Throttle.inMemory(ConsoleServer.LOGIN_THROTTLE, clock), new ConsoleAudit(auditFile, clock), new AuditSearch(auditDir),
            HeldMail.NONE, keys, pgpKeys, new LiveCounters(metrics.map(m -> m.uri())), clock);
        Path keystore = dir.resolve("tls").resolve("console.p12");
        PortalTls.Material tls = PortalTls.loadOrCreateDemo(keystore, dir.resolve("tls").resolve("console.p12.password"), "127.0.0.1");
        Server server = ConsoleServer.create("127.0.0.1", 0, context, tls);
        server.start();
        ConsoleFixture fixture = new ConsoleFixture(zooKeeper, admin, node, registrations, accounts, secret, server, context, keystore,
            auditFile);
        fixture.keys = keys;
        fixture.pgpKeys = pgpKeys;
        return fixture;
    }

    private static NodeRegistration register(CuratorFramework node, String id, String role, Optional<String> admin) {
        return NodeRegistry.register(node, ZkTestSupport.NODE.identity(), id,
            () -> new NodeStatus(id, List.of("198.18.0." + (id.endsWith("a") ? 9 : 10)), role, 3, null,
                "config version 3 up to date", Instant.now().toString(), admin.orElse(null)), Duration.ofMillis(200));
    }

    private static String mail(String time, String messageId, String sender, String recipient, String outcome) {
        return """
            {"time":"%s","messageId":"%s","direction":"outbound","sender":"%s","recipients":[{"recipient":"%s","method":"smime-encrypt","keyFingerprint":"","policy":""}],"outcome":"%s","reason":""}
            """.formatted(time, messageId, sender, recipient, outcome);
    }

    int port() {
        return ConsoleServer.port(server);
    }

    /** A code for a step not used yet: the console accepts each step once, ±1 step around now. */
    String nextCode(int stepsAhead) {
        return Totp.code(totpSecret, Totp.step(Instant.now()) + stepsAhead);
    }

    String audit() throws Exception {
        return Files.exists(auditFile) ? Files.readString(auditFile, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            keys.close();
            pgpKeys.close();
            registrations.forEach(NodeRegistration::close);
            node.close();
            admin.close();
            zooKeeper.close();
        }
    }
}
