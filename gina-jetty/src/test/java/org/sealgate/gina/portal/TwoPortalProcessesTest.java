package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
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

/**
 * Two portal JVMs ({@code GinaMain --data DIR}, as {@code ./sealgate gina} runs them) sharing one ZooKeeper and
 * the cluster key rings: a session started on one continues on the other (what a VIP failover needs), and a
 * logout on the second ends the session on the first; password guessing throttled on one is throttled on the other.
 */
class TwoPortalProcessesTest {
    private static final String CAROL = "carol@partner.example";
    @TempDir
    Path dir;
    private final List<PortalProcess> portals = new ArrayList<>();
    private TestingServer zooKeeper;

    @AfterEach
    void stop() throws Exception {
        for (PortalProcess portal : portals) {
            portal.close();
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
        URI nodeA = start(a);
        URI nodeB = start(b);
        String first;
        try (CuratorFramework client = GinaMain.zooKeeper(PortalSettings.load(a))) {
            first = new GinaAccounts(AccountStores.zooKeeper(client, AccountStores.creatorOnly()), new PasswordHasher(8192, 1, 1),
                LockoutPolicy.DEFAULT, Clock.systemUTC()).ensureAccount(CAROL).firstPassword().orElseThrow();
        }
        GinaContainer container = new ContainerCrypto().seal(TestMime.standard(CAROL), CAROL, "<two@sealgate.test>", ginaKeys);
        PortalClient browser = new PortalClient(portals.get(0).trust(), nodeA);

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
            PortalClient attacker = new PortalClient(portals.get(0).trust(), URI.create("https://127.0.0.1:" + toA.port()));
            attacker.post("/open", Map.of("container", container.toBase64Url()));
            for (int i = 0; i < 5; i++) {
                assertThat(attacker.submit("/login", Map.of("password", "guess " + i)).status()).isEqualTo(401);
            }
            attacker.switchTo(URI.create("https://127.0.0.1:" + toB.port()));   // the VIP moved, or a second node
            assertThat(attacker.submit("/login", Map.of("password", "carol's own password")).status()).isEqualTo(429);
        }
        PortalClient carol = new PortalClient(portals.get(1).trust(), nodeB);
        carol.post("/open", Map.of("container", container.toBase64Url()));
        PortalClient.Page real = carol.submit("/login", Map.of("password", "carol's own password"));

        assertThat(real.status()).isEqualTo(200);
        assertThat(real.body()).contains("Quarterly figures");
    }

    /** Both portals behind one VIP name: the same GINA and session keys, one certificate installed on both. */
    private Path dataDirectory(String name, KeyRing ginaKeys, KeyRing sessionKeys) throws Exception {
        Path d = dir.resolve(name);
        PortalProcess.writePortalDirectory(d, zooKeeper.getConnectString(), name, ginaKeys, sessionKeys);
        Path first = dir.resolve("node-a");
        if (!d.equals(first)) {
            for (String file : List.of("tls/portal.p12", "tls/portal.p12.password")) {
                Files.copy(first.resolve(file), d.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return d;
    }

    private URI start(Path data) throws Exception {
        PortalProcess portal = PortalProcess.start(data, data, data.resolve("portal.log"));
        portals.add(portal);
        return portal.base;
    }
}
