package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.testing.FreePorts;
import org.sealgate.testing.Prerequisites;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/**
 * The GINA VIP with real keepalived: two "nodes" (network namespaces {@code sg-vip-a}, {@code sg-vip-b}), each
 * running the real portal JVM and keepalived with the configuration {@code sealgate vip watch} renders from the
 * cluster document, a client namespace {@code sg-vip-c} that reaches the portal only through the VIP
 * 198.18.13.100, and ZooKeeper on the host bridge (198.18.13.1). The primary's portal dies: the VIP moves and the
 * GINA session opened before goes on at the secondary; the primary returns and takes the VIP back (preempt); a
 * document change made with the CLI ({@code preempt: false}) reaches both keepalived configurations and keepalived
 * obeys it; {@code cluster status} names the holder and never a dead node. Root only (CI runs as root).
 * Failover and failback times go to {@code target/vip-failover/figures.txt} (figures, not asserts).
 */
class VipFailoverTest {
    private static final String VIP = "198.18.13.100";
    private static final String CAROL = "carol@partner.example";
    private static final Path WORK = Path.of("target", "vip-failover").toAbsolutePath();
    private static final Duration MOVE = Duration.ofSeconds(30);

    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Process> portals = new HashMap<>();
    private final List<Process> watches = new ArrayList<>();
    private final Map<String, Process> keepaliveds = new HashMap<>();
    private VipNetwork network;
    private TestingServer zooKeeper;
    private String ginaClasspath;
    private Path admin;
    private Path nodeCredentials;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (network != null) {
            network.close();
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
    }

    @Test
    void vipShouldFailOverWithTheGinaSessionFailBackAndFollowDocumentChanges() throws Exception {
        Prerequisites.require(VipNetwork.isRoot(), "root (network namespaces; CI runs as root)");
        Prerequisites.require(VipNetwork.installed("/usr/sbin/keepalived"), "keepalived (Debian package keepalived)");
        Prerequisites.require(VipNetwork.installed("/usr/bin/curl"), "curl (Debian package curl)");
        ginaClasspath = DemoWithPortal.ginaClasspath();
        VipNetwork.sweep();
        deleteRecursively(WORK);
        Files.createDirectories(WORK);

        network = VipNetwork.create();
        String a = network.host("a", "198.18.13.11");
        String b = network.host("b", "198.18.13.12");
        String client = network.host("c", "198.18.13.20");
        int zkPort = FreePorts.next();
        zooKeeper = new TestingServer(new InstanceSpec(WORK.resolve("zookeeper").toFile(), zkPort, -1, -1, true, -1, -1, -1,
            Map.of("clientPortAddress", VipNetwork.HOST_ADDRESS), VipNetwork.HOST_ADDRESS), true);
        String connect = VipNetwork.HOST_ADDRESS + ":" + zkPort;
        admin = secret("admin.credentials", "admin:admin-secret");
        nodeCredentials = secret("node.credentials", "node:node-secret");
        Path gina = secret("gina.credentials", "gina:gina-test-secret");
        assertThat(config(connect, "apply", document(true).toString(), "--node-credentials", nodeCredentials.toString()))
            .contains("applied configuration version 1");
        prepareAccounts(connect, gina);

        // Portals: node A makes the certificate for the VIP; node B gets the same one (both answer as the VIP).
        KeyRing ginaKeys = KeyRing.generate("g1");
        KeyRing sessionKeys = KeyRing.generate("s1");
        Path portalA = portalDirectory("node-a", connect, ginaKeys, sessionKeys, gina);
        Path portalB = portalDirectory("node-b", connect, ginaKeys, sessionKeys, gina);
        startPortal(a, portalA);
        copyTls(portalA, portalB);
        startPortal(b, portalB);
        Path ca = caFile(portalA);

        Path scripts = WORK.resolve("scripts");
        assertThat(cli(List.of("scripts", scripts.toString()))).isZero();
        Path confA = startWatch("node-a", a, connect, scripts);
        Path confB = startWatch("node-b", b, connect, scripts);
        await("both keepalived configurations rendered", Duration.ofSeconds(90), () -> Files.exists(confA) && Files.exists(confB));
        assertThat(Files.readString(confA)).contains("priority 150").contains("advert_int 0.2").contains("vrrp_version 3")
            .doesNotContain("nopreempt");
        startKeepalived("node-a", a, confA);
        startKeepalived("node-b", b, confB);
        await("VIP on the primary", MOVE, () -> VipNetwork.holds(a, VIP) && !VipNetwork.holds(b, VIP));
        await("cluster status names node-a", MOVE, () -> status(connect).contains("VIP " + VIP + ": held by node-a"));

        // A real GINA login through the VIP, from the client namespace.
        String first = firstContact(connect, gina);
        byte[] mime = ("From: alice@demo.sealgate.test\r\nTo: " + CAROL + "\r\nSubject: Through the VIP\r\n"
            + "Message-ID: <vip@demo.sealgate.test>\r\n\r\nHello Carol, this survives a failover.\r\n").getBytes(StandardCharsets.US_ASCII);
        GinaContainer container = new ContainerCrypto().seal(mime, CAROL, "<vip@demo.sealgate.test>", ginaKeys);
        NamespaceBrowser browser = new NamespaceBrowser(client, "https://" + VIP + ":8443", ca, WORK.resolve("browser"));
        assertThat(browser.post("/open", Map.of("container", container.toBase64Url())).body()).contains("Register to read");
        NamespaceBrowser.Page registered = browser.submit("/register", Map.of("first-password", first,
            "password", "carol's own password", "password2", "carol's own password"));
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        assertThat(registered.body()).contains("Hello Carol, this survives a failover.");
        assertThat(audit(portalA)).contains("\"event\":\"register\"");

        // The primary's portal dies: its check fails, keepalived goes to FAULT, the secondary takes the VIP.
        long killed = System.nanoTime();
        portals.get(a).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long failover = probeUntil(browser, () -> VipNetwork.holds(b, VIP)) - killed;
        assertThat(VipNetwork.holds(a, VIP)).isFalse();
        NamespaceBrowser.Page afterFailover = browser.submit("/message", Map.of());
        assertThat(afterFailover.status()).as("the session opened on node-a, now at node-b: %s", afterFailover.body())
            .isEqualTo(200);
        assertThat(afterFailover.body()).contains("Hello Carol, this survives a failover.");
        assertThat(audit(portalB)).contains("\"event\":\"read\"");
        await("cluster status names node-b", MOVE, () -> status(connect).contains("VIP " + VIP + ": held by node-b"));
        assertThat(status(connect)).contains("node-a FAULT");
        assertThat(Files.readString(WORK.resolve("node-a/state/vip-audit.jsonl"))).contains("\"state\":\"FAULT\"");

        // The primary returns: preempt (the document's default) gives it the VIP back.
        startPortal(a, portalA);
        long back = System.nanoTime();
        long failback = probeUntil(browser, () -> VipNetwork.holds(a, VIP) && !VipNetwork.holds(b, VIP)) - back;
        assertThat(browser.submit("/message", Map.of()).status()).isEqualTo(200);

        // A document change applied with the CLI reaches both keepalived configurations, and keepalived obeys it.
        assertThat(config(connect, "apply", document(false).toString())).contains("applied configuration version 2");
        await("both configurations re-rendered with nopreempt", MOVE,
            () -> read(confA).contains("nopreempt") && read(confB).contains("nopreempt"));
        await("both keepalived reloaded", MOVE, () -> read(WORK.resolve("node-a/keepalived.log")).contains("Reloading")
            && read(WORK.resolve("node-b/keepalived.log")).contains("Reloading"));
        long killedAgain = System.nanoTime();
        portals.get(a).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long secondFailover = probeUntil(browser, () -> VipNetwork.holds(b, VIP)) - killedAgain;
        startPortal(a, portalA);
        await("node-a healthy and BACKUP again", MOVE, () -> read(WORK.resolve("node-a/state/state")).startsWith("BACKUP"));
        Thread.sleep(3_000);   // fifteen advert intervals: time enough to preempt, which it must not
        assertThat(VipNetwork.holds(b, VIP)).as("no preempt: the VIP stays where it is").isTrue();
        assertThat(VipNetwork.holds(a, VIP)).isFalse();

        // A dead keepalived's last MASTER is not shown as current; the other node takes over.
        keepaliveds.get(b).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        await("node-a takes the VIP from the dead node-b", MOVE, () -> VipNetwork.holds(a, VIP));
        await("cluster status: node-a holds it, node-b stopped", MOVE, () -> {
            String status = status(connect);
            return status.contains("VIP " + VIP + ": held by node-a") && status.contains("node-b STOPPED");
        });

        // vip watch stops cleanly on SIGTERM, and its claim goes with its session at once.
        Process watchA = watches.get(0);
        watchA.destroy();
        assertThat(watchA.waitFor(30, TimeUnit.SECONDS)).as("vip watch stops on SIGTERM").isTrue();
        await("node-a's claim gone: no node holds the VIP as far as anyone can tell", MOVE,
            () -> status(connect).contains("VIP " + VIP + ": held by no node (no MASTER reported); node-b STOPPED"));

        String figures = String.format("failover %.1f s and %.1f s (portal killed -> client served through the VIP by"
            + " node-b), failback %.1f s (portal healthy again -> VIP back on node-a, client served), advert-interval 0.2,"
            + " check interval 1 s fall 2 rise 2%n", failover / 1e9, secondFailover / 1e9, failback / 1e9);
        Files.writeString(WORK.resolve("figures.txt"), figures, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.print("VIP figures: " + figures);
    }

    /** Polls the VIP from the client every 100 ms (bounded); returns when the portal answers there and {@code done}. */
    private static long probeUntil(NamespaceBrowser browser, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + MOVE.toNanos();
        while (System.nanoTime() < deadline) {
            if (browser.get("/healthz", 1).status() == 200 && done.getAsBoolean()) {
                return System.nanoTime();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the VIP did not move within " + MOVE.toSeconds() + " s");
    }

    private static Path document(boolean preempt) throws IOException {
        Path file = WORK.resolve("cluster-" + preempt + ".yaml");
        Files.writeString(file, """
            schema-version: 1
            domains:
              - name: demo.sealgate.test
            trusted-networks: [127.0.0.1/32]
            gina: {host-name: gina.demo.sealgate.test, port: 8443}
            vip: {address: %s, interface: eth0, virtual-router-id: 113, advert-interval: 0.2, preempt: %s}
            nodes:
              - {id: node-a, addresses: [198.18.13.11], role: primary, priority: 150}
              - {id: node-b, addresses: [198.18.13.12], role: secondary, priority: 100}
            """.formatted(VIP, preempt), StandardCharsets.UTF_8);
        return file;
    }

    private String config(String connect, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--zk", connect, "--admin-credentials", admin.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ConfigCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private String status(String connect) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ClusterCommand.run(List.of("status", "--zk", connect, "--admin-credentials", admin.toString()),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** /gina/accounts for the gina identity, as the demo prepares it. */
    private void prepareAccounts(String connect, Path ginaFile) throws Exception {
        DigestCredentials adminIdentity = DigestCredentials.fromFile(admin);
        DigestCredentials ginaIdentity = DigestCredentials.fromFile(ginaFile);
        List<ACL> acls = new ArrayList<>(List.of(new ACL(Perms.ALL, adminIdentity.identity()), new ACL(Perms.ALL, ginaIdentity.identity())));
        try (CuratorFramework zk = ZkClients.admin(connect, ZkClients.DEFAULT_NAMESPACE, adminIdentity, acls)) {
            zk.start();
            assertThat(zk.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            AccountStores.prepare(zk, adminIdentity.identity(), ginaIdentity.identity());
        }
    }

    private static Path portalDirectory(String node, String connect, KeyRing ginaKeys, KeyRing sessionKeys, Path gina)
        throws IOException {
        Path d = Files.createDirectories(WORK.resolve(node).resolve("portal"));
        Files.createDirectories(d.resolve("secrets"));
        ginaKeys.save(d.resolve("gina.keys"));
        sessionKeys.save(d.resolve("session.keys"));
        Files.copy(gina, d.resolve("secrets/gina.credentials"));
        Files.writeString(d.resolve("gina.properties"), """
            https.host=0.0.0.0
            https.port=8443
            http.port=-1
            public.url=https://%s:8443
            tls.demo-certificate=true
            zk.connect=%s
            smtp.gateway=127.0.0.1:1
            argon2.memory-kib=8192
            argon2.iterations=1
            node.id=%s
            """.formatted(VIP, connect, node), StandardCharsets.UTF_8);
        return d;
    }

    private void startPortal(String namespace, Path data) throws Exception {
        Process portal = new ProcessBuilder(VipNetwork.in(namespace, List.of(DemoWithPortal.java(), "-Xmx256m", "-cp",
            ginaClasspath, "org.sealgate.gina.portal.GinaMain", "--data", data.toString())))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("portal.log").toFile())).start();
        processes.add(portal);
        portals.put(namespace, portal);
        await("portal in " + namespace + " healthy", Duration.ofSeconds(90), () -> {
            if (!portal.isAlive()) {
                throw new AssertionError("portal in " + namespace + " exited: " + read(data.resolve("portal.log")));
            }
            return curlOk(namespace, "https://127.0.0.1:8443/healthz");
        });
    }

    private Path startWatch(String node, String namespace, String connect, Path scripts) throws IOException {
        Path dir = Files.createDirectories(WORK.resolve(node));
        Path conf = dir.resolve("keepalived.conf");
        Process watch = new ProcessBuilder(DemoWithPortal.java(), "-Xmx192m", "-cp", watchClasspath(),
            SealgateCli.class.getName(), "vip", "watch", "--node", node, "--out", conf.toString(),
            "--zk", connect, "--node-credentials", nodeCredentials.toString(), "--pid-file", dir.resolve("keepalived.pid").toString(),
            "--scripts", scripts.toString(), "--state-dir", dir.resolve("state").toString(), "--portal-port", "8443")
            .redirectErrorStream(true).redirectOutput(dir.resolve("watch.log").toFile()).start();
        processes.add(watch);
        watches.add(watch);
        return conf;
    }

    /**
     * The test classpath without James and its ~400 jars: {@code vip watch} needs none of them, and looking every
     * class up through all of them made its start take more than 30 s on a busy two-core machine.
     */
    private static String watchClasspath() {
        // Our own modules are target/classes in a full build, jars under org/sealgate/ when the build resumes midway.
        List<String> needed = List.of("/classes", "/test-classes", "/org/sealgate/", "curator", "zookeeper", "jackson",
            "slf4j", "logback", "snakeyaml", "netty", "audience-annotations", "bcprov", "bcpkix", "bcutil", "commons-io");
        String repository = Prerequisites.repositoryRoot().toString();
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .filter(entry -> entry.startsWith(repository) || needed.stream().anyMatch(entry::contains))
            .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private void startKeepalived(String node, String namespace, Path conf) throws IOException {
        Path dir = WORK.resolve(node);
        Process keepalived = new ProcessBuilder("keepalived", "-n", "-l", "-D", "-P", "-s", namespace, "-f", conf.toString(),
            "-p", dir.resolve("keepalived.pid").toString(), "-r", dir.resolve("vrrp.pid").toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("keepalived.log").toFile()).start();
        processes.add(keepalived);
        keepaliveds.put(namespace, keepalived);
    }

    /** Carol's account as the gateway's first secure mail to her makes it (as the gina identity): her first password. */
    private static String firstContact(String connect, Path ginaFile) throws Exception {
        DigestCredentials ginaIdentity = DigestCredentials.fromFile(ginaFile);
        try (CuratorFramework zk = ZkClients.node(connect, ZkClients.DEFAULT_NAMESPACE, ginaIdentity)) {
            zk.start();
            assertThat(zk.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            GinaAccounts accounts = new GinaAccounts(AccountStores.zooKeeper(zk, AccountStores.creatorOnly()),
                new PasswordHasher(8192, 1, 1), LockoutPolicy.DEFAULT, Clock.systemUTC());
            return accounts.ensureAccount(CAROL).firstPassword().orElseThrow();
        }
    }

    private static void copyTls(Path from, Path to) throws IOException {
        Files.createDirectories(to.resolve("tls"));
        for (String name : List.of("portal.p12", "portal.p12.password")) {
            Files.copy(from.resolve("tls").resolve(name), to.resolve("tls").resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The portal's certificate as the client's only trust anchor (curl --cacert; no -k anywhere on the client). */
    private static Path caFile(Path portal) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(portal.resolve("tls/portal.p12"))) {
            keys.load(in, Files.readString(portal.resolve("tls/portal.p12.password")).strip().toCharArray());
        }
        byte[] der = keys.getCertificate(keys.aliases().nextElement()).getEncoded();
        Path pem = WORK.resolve("portal-ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der) + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        return pem;
    }

    private static boolean curlOk(String namespace, String url) {
        try {
            return VipNetwork.run(VipNetwork.in(namespace, List.of("curl", "-fsk", "--noproxy", "*", "--max-time", "1", "-o",
                "/dev/null", "-w", "%{http_code}", url)), true).strip().equals("200");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int cli(List<String> args) throws Exception {
        return VipCommand.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static Path secret(String name, String content) throws IOException {
        Path file = WORK.resolve("secrets").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static String audit(Path portal) throws IOException {
        return read(portal.resolve("audit/gina-audit.jsonl"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Bounded wait: polls every 200 ms until {@code condition} or the timeout, then fails naming what was awaited. */
    private static void await(String what, Duration timeout, Check condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.ok()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + " (logs in " + WORK + ")");
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
