package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.gina.session.SessionClaims;
import org.sealgate.gina.session.SessionTokens;
import org.sealgate.testing.SmtpSink;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/**
 * The running portal over HTTPS takes the shared settings from the cluster document, live: an admin applies a
 * document and the next session, login page and reply follow it, without a restart; the document wins over
 * {@code gina.properties}, and removing the published settings falls back to the file.
 */
class PortalClusterSettingsTest {
    private static final DigestCredentials ADMIN = new DigestCredentials("admin", "admin-secret");
    private static final DigestCredentials NODE = new DigestCredentials("node", "node-secret");
    /** The fixture's identity (gina.credentials). */
    private static final DigestCredentials GINA = new DigestCredentials("gina", "gina-test-secret");
    private static final KeyRing SESSION_KEYS = KeyRing.generate("s1");

    @TempDir
    static Path dir;
    private static TestingServer zooKeeper;
    private static SmtpSink gateway;
    private static CuratorFramework admin;
    private static ConfigStore store;
    private static PortalFixture portal;

    @BeforeAll
    static void start() throws Exception {
        zooKeeper = new TestingServer(true);
        gateway = SmtpSink.onFreePort();
        var acls = ConfigAcls.adminWritesNodesRead(ADMIN.identity(), NODE.identity());
        admin = ZkClients.admin(zooKeeper.getConnectString(), ZkClients.DEFAULT_NAMESPACE, ADMIN, acls);
        admin.start();
        assertThat(admin.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        store = new ConfigStore(admin, acls, "alice");
        store.initialize();
        AccountStores.prepare(admin, ADMIN.identity(), GINA.identity());
        // The local file says 30 minutes, no self-service reset, 20 replies an hour; the document will win.
        portal = PortalFixture.start(dir.resolve("portal"), zooKeeper.getConnectString(), gateway.port(),
            KeyRing.generate("g1"), SESSION_KEYS, "session.minutes=30\nself-service-reset=false\n", true);
    }

    @AfterAll
    static void stop() throws Exception {
        portal.close();
        admin.close();
        gateway.close();
        zooKeeper.close();
    }

    @Test
    void appliedDocumentShouldChangeNewSessionsResetAndReplyLimitWithoutRestart() throws Exception {
        String before = "erin1@partner.example";
        PortalClient first = new PortalClient(portal.trust(), portal.base());
        registered(first, before);
        assertThat(sessionLength(first)).isEqualTo(Duration.ofMinutes(30));
        assertThat(loginPage(before).body()).doesNotContain("Forgot your password?");

        int version = store.apply(document("""
              session-minutes: 1
              self-service-reset: true
              replies-per-hour: 1
            """), store.currentVersion()).version();
        await().atMost(10, TimeUnit.SECONDS).until(() -> portal.context.shared().current().version() == version);

        String after = "erin2@partner.example";
        PortalClient second = new PortalClient(portal.trust(), portal.base());
        PortalClient.Page message = registered(second, after);
        assertThat(sessionLength(second)).isEqualTo(Duration.ofMinutes(1));
        assertThat(loginPage(after).body()).contains("Forgot your password?");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            second.submit("/compose", Map.of("mode", "reply"));
            statuses.add(second.multipart("/reply", Map.of("container", message.hidden("container"),
                "csrf", second.last.hidden("csrf"), "mode", "reply", "body", "reply " + i), null, null).status());
        }
        assertThat(statuses).containsExactly(200, 429);

        // The published settings removed (an admin's act): back to gina.properties.
        admin.delete().forPath(org.sealgate.zk.store.ZkLayout.GINA_SETTINGS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> portal.context.shared().current().version() == 0);
        PortalClient third = new PortalClient(portal.trust(), portal.base());
        registered(third, "erin3@partner.example");
        assertThat(sessionLength(third)).isEqualTo(Duration.ofMinutes(30));
    }

    private static PortalClient.Page registered(PortalClient browser, String address) throws Exception {
        String firstPassword = portal.newAccount(address);
        browser.post("/open", Map.of("container", container(address).toBase64Url()));
        PortalClient.Page page = browser.submit("/register", Map.of("first-password", firstPassword,
            "password", "erin's own password", "password2", "erin's own password"));
        assertThat(page.status()).isEqualTo(200);
        return page;
    }

    /** What the running portal sealed into the session cookie it issued. */
    private static Duration sessionLength(PortalClient browser) throws Exception {
        SessionClaims claims = new SessionTokens(SESSION_KEYS, Duration.ofMinutes(1), java.time.Clock.systemUTC())
            .open(browser.cookies.get("__Host-gina-session"));
        return Duration.between(claims.issuedAt(), claims.expiresAt());
    }

    /** A registered recipient opening a container in a fresh browser sees the login page. */
    private static PortalClient.Page loginPage(String address) throws Exception {
        PortalClient fresh = new PortalClient(portal.trust(), portal.base());
        PortalClient.Page page = fresh.post("/open", Map.of("container", container(address).toBase64Url()));
        assertThat(page.status()).isEqualTo(200);
        return page;
    }

    private static GinaContainer container(String address) throws Exception {
        return portal.seal(TestMime.standard(address), address);
    }

    private static String document(String ginaExtra) {
        return """
            schema-version: 1
            domains:
              - name: example.com
            gina:
              host-name: gina.example.com
              port: 8443
            %svip:
              address: 198.18.0.100
              interface: eth0
              virtual-router-id: 51
            nodes:
              - id: node-a
                addresses: [198.18.0.9]
                role: primary
                priority: 150
            """.formatted(ginaExtra);
    }
}
