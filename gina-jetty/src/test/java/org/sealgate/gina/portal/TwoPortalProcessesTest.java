package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.testing.FreePorts;

/**
 * Two portal JVMs ({@code GinaMain --data DIR}, as {@code ./sealgate gina} runs them) sharing one ZooKeeper and
 * the cluster key rings: a session started on one continues on the other (what a VIP failover needs), and a
 * logout on the second ends the session on the first; password guessing throttled on one is throttled on the other.
 */
class TwoPortalProcessesTest {
    private static final String CAROL = "carol@partner.example";
    @TempDir
    Path dir;
    private final List<Process> portals = new ArrayList<>();
    private TestingServer zooKeeper;

    @AfterEach
    void stop() throws Exception {
        for (Process p : portals) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
    }

    @Test
    void sessionStartedOnOnePortalShouldContinueOnTheOther() throws Exception {
        zooKeeper = new TestingServer(true);
        KeyRing ginaKeys = KeyRing.generate("g1");
        KeyRing sessionKeys = KeyRing.generate("s1");
        Path a = dataDirectory("node-a", ginaKeys, sessionKeys);
        Path b = dataDirectory("node-b", ginaKeys, sessionKeys);
        // One certificate for the VIP name, installed on both nodes.
        PortalTls.createDemo(a.resolve("tls/portal.p12"), a.resolve("tls/portal.p12.password"), "127.0.0.1");
        Files.createDirectories(b.resolve("tls"));
        Files.copy(a.resolve("tls/portal.p12"), b.resolve("tls/portal.p12"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(a.resolve("tls/portal.p12.password"), b.resolve("tls/portal.p12.password"), StandardCopyOption.REPLACE_EXISTING);
        URI nodeA = start(a);
        URI nodeB = start(b);
        String first;
        try (CuratorFramework client = GinaMain.zooKeeper(PortalSettings.load(a))) {
            first = new GinaAccounts(AccountStores.zooKeeper(client, AccountStores.creatorOnly()), new PasswordHasher(8192, 1, 1),
                LockoutPolicy.DEFAULT, Clock.systemUTC()).ensureAccount(CAROL).firstPassword().orElseThrow();
        }
        GinaContainer container = new ContainerCrypto().seal(TestMime.standard(CAROL), CAROL, "<two@sealgate.test>", ginaKeys);
        PortalClient browser = new PortalClient(trust(a), nodeA);

        browser.post("/open", Map.of("container", container.toBase64Url()));
        PortalClient.Page onA = browser.submit("/register", Map.of("first-password", first,
            "password", "carol's own password", "password2", "carol's own password"));
        assertThat(onA.status()).isEqualTo(200);
        String tokenFromA = browser.cookies.get("__Host-gina-session");

        browser.switchTo(nodeB);   // the VIP moved: same cookies, another JVM
        PortalClient.Page onB = browser.submit("/message", Map.of());
        assertThat(onB.status()).isEqualTo(200);
        assertThat(onB.body()).contains("Quarterly figures").contains("figures.pdf");
        assertThat(browser.submit("/attachment", Map.of("part", "0")).bytes()).isEqualTo(TestMime.ATTACHMENT);
        assertThat(browser.submit("/logout", Map.of()).status()).isEqualTo(200);

        browser.switchTo(nodeA);
        browser.cookies.put("__Host-gina-session", tokenFromA);
        PortalClient.Page replayOnA = browser.post("/message", Map.of("container", onB.hidden("container"),
            "csrf", onB.hidden("csrf")));
        assertThat(replayOnA.status()).isEqualTo(401);
        assertThat(Files.readString(a.resolve("audit/gina-audit.jsonl"))).contains("\"event\":\"register\"")
            .contains("\"event\":\"session-refused\"");
        assertThat(Files.readString(b.resolve("audit/gina-audit.jsonl"))).contains("\"event\":\"read\"")
            .contains("\"event\":\"logout\"");
    }

    @Test
    void guessingThrottledOnOnePortalShouldStayThrottledOnTheOtherWhileTheRealUserLogsInFromElsewhere() throws Exception {
        zooKeeper = new TestingServer(true);
        KeyRing ginaKeys = KeyRing.generate("g1");
        KeyRing sessionKeys = KeyRing.generate("s1");
        Path a = dataDirectory("node-a", ginaKeys, sessionKeys);
        Path b = dataDirectory("node-b", ginaKeys, sessionKeys);
        PortalTls.createDemo(a.resolve("tls/portal.p12"), a.resolve("tls/portal.p12.password"), "127.0.0.1");
        Files.createDirectories(b.resolve("tls"));
        Files.copy(a.resolve("tls/portal.p12"), b.resolve("tls/portal.p12"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(a.resolve("tls/portal.p12.password"), b.resolve("tls/portal.p12.password"), StandardCopyOption.REPLACE_EXISTING);
        URI nodeA = start(a);
        URI nodeB = start(b);
        try (CuratorFramework client = GinaMain.zooKeeper(PortalSettings.load(a))) {
            GinaAccounts accounts = new GinaAccounts(AccountStores.zooKeeper(client, AccountStores.creatorOnly()),
                new PasswordHasher(8192, 1, 1), LockoutPolicy.DEFAULT, Clock.systemUTC());
            String first = accounts.ensureAccount(CAROL).firstPassword().orElseThrow();
            accounts.register(CAROL, first, "carol's own password", org.sealgate.gina.account.Recovery.NONE);
        }
        GinaContainer container = new ContainerCrypto().seal(TestMime.standard(CAROL), CAROL, "<two-b@sealgate.test>", ginaKeys);

        try (LoopbackRelay toA = new LoopbackRelay(nodeA.getPort(), "127.0.0.2");
             LoopbackRelay toB = new LoopbackRelay(nodeB.getPort(), "127.0.0.2")) {
            PortalClient attacker = new PortalClient(trust(a), URI.create("https://127.0.0.1:" + toA.port()));
            attacker.post("/open", Map.of("container", container.toBase64Url()));
            for (int i = 0; i < 5; i++) {
                assertThat(attacker.submit("/login", Map.of("password", "guess " + i)).status()).isEqualTo(401);
            }
            attacker.switchTo(URI.create("https://127.0.0.1:" + toB.port()));   // the VIP moved, or a second node
            assertThat(attacker.submit("/login", Map.of("password", "carol's own password")).status()).isEqualTo(429);
        }
        PortalClient carol = new PortalClient(trust(b), nodeB);
        carol.post("/open", Map.of("container", container.toBase64Url()));
        PortalClient.Page real = carol.submit("/login", Map.of("password", "carol's own password"));

        assertThat(real.status()).isEqualTo(200);
        assertThat(real.body()).contains("Quarterly figures");
    }

    private Path dataDirectory(String name, KeyRing ginaKeys, KeyRing sessionKeys) throws Exception {
        Path d = dir.resolve(name);
        Files.createDirectories(d.resolve("secrets"));
        ginaKeys.save(d.resolve("gina.keys"));
        sessionKeys.save(d.resolve("session.keys"));
        Files.writeString(d.resolve("secrets/gina.credentials"), "gina:gina-test-secret\n");
        int port = FreePorts.next();
        Files.writeString(d.resolve(PortalSettings.FILE_NAME), """
            https.host=127.0.0.1
            https.port=%d
            http.port=-1
            zk.connect=%s
            smtp.gateway=127.0.0.1:1
            argon2.memory-kib=8192
            argon2.iterations=1
            node.id=%s
            """.formatted(port, zooKeeper.getConnectString(), name), StandardCharsets.UTF_8);
        return d;
    }

    private URI start(Path data) throws Exception {
        PortalSettings settings = PortalSettings.load(data);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            GinaMain.class.getName(), "--data", data.toString())
            .redirectErrorStream(true).redirectOutput(data.resolve("portal.log").toFile()).start();
        portals.add(process);
        URI base = URI.create("https://127.0.0.1:" + settings.httpsPort());
        HttpClient client = HttpClient.newBuilder().sslContext(trust(data)).connectTimeout(Duration.ofSeconds(2)).build();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("portal exited: " + Files.readString(data.resolve("portal.log")));
            }
            try {
                return client.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return base;
    }

    private static SSLContext trust(Path data) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        String password = Files.readString(data.resolve("tls/portal.p12.password")).strip();
        try (var in = Files.newInputStream(data.resolve("tls/portal.p12"))) {
            keys.load(in, password.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("portal", keys.getCertificate(PortalTls.ALIAS));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        return ssl;
    }

}
