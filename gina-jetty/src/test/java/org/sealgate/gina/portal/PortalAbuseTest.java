package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.account.AccountState;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.testing.SmtpSink;
import org.sealgate.testing.RefusingReceiver;

/**
 * Attacks on the portal over real HTTPS, each next to the legitimate case: forged containers, password guessing
 * from one address while the real user logs in from another, Argon2 floods, oversized pre-login forms, audit
 * floods, reply floods, the security question when it is off, a production start without a certificate.
 */
class PortalAbuseTest {
    @TempDir
    static Path dir;
    private static TestingServer zooKeeper;
    private static SmtpSink gateway;
    private static PortalFixture portal;
    private static final KeyRing GINA_KEYS = KeyRing.generate("g1");
    private PortalClient browser;

    @BeforeAll
    static void start() throws Exception {
        zooKeeper = new TestingServer(true);
        gateway = SmtpSink.onFreePort();
        portal = PortalFixture.start(dir.resolve("portal"), zooKeeper.getConnectString(), gateway.port(), GINA_KEYS,
            KeyRing.generate("s1"), "upload.max-bytes=200000\nreply.max-per-hour=2\naudit.max-bytes=20000\naudit.files=2\n");
    }

    @AfterAll
    static void stop() throws Exception {
        portal.close();
        gateway.close();
        zooKeeper.close();
    }

    @BeforeEach
    void newBrowser() {
        browser = new PortalClient(trust(), portal.base());
    }

    @Test
    void forgedContainerShouldGet400AndTouchNoAccountWhileTheRealOneOpens() throws Exception {
        String victim = "victim1@partner.example";
        String first = portal.newAccount(victim);
        String mallory = "mallory1@partner.example";
        portal.newAccount(mallory);
        // Mallory gets a pre-session from her own genuine container, then posts one she forged for the victim: the
        // header is in clear, so she can write any recipient and the current key id, but not the cluster key's tag.
        browser.post("/open", Map.of("container", portal.seal(TestMime.standard(mallory), mallory).toBase64Url()));
        String forged = forge(victim).toBase64Url();

        List<Integer> statuses = new ArrayList<>();
        statuses.add(browser.post("/open", Map.of("container", forged)).status());
        for (int i = 0; i < 8; i++) {
            statuses.add(browser.post("/login", Map.of("container", forged, "csrf", browser.last.hidden("csrf"),
                "password", "guess " + i)).status());
        }
        statuses.add(browser.post("/forgot", Map.of("container", forged, "csrf", browser.last.hidden("csrf"))).status());
        statuses.add(browser.post("/register", Map.of("container", forged, "csrf", browser.last.hidden("csrf"),
            "first-password", "guess", "password", "mallory's choice!", "password2", "mallory's choice!")).status());

        assertThat(statuses).containsOnly(400);
        assertThat(portal.context.accounts().find(victim).orElseThrow().state()).isEqualTo(AccountState.AWAITING_REGISTRATION);
        assertThat(portal.audit()).contains("\"event\":\"container-refused\"").doesNotContain(victim);
        // No failure was counted: the victim registers at once from the very same address.
        PortalClient real = new PortalClient(trust(), portal.base());
        real.post("/open", Map.of("container", portal.seal(TestMime.standard(victim), victim).toBase64Url()));
        assertThat(real.submit("/register", Map.of("first-password", first, "password", "victim's own password",
            "password2", "victim's own password")).status()).isEqualTo(200);
    }

    @Test
    void attackerGuessingFromOneAddressShouldBeThrottledWhileTheRealUserLogsInFromAnother() throws Exception {
        String carol = "carol1@partner.example";
        registered(carol, "carol's own password");
        GinaContainer container = portal.seal(TestMime.standard(carol), carol);
        try (LoopbackRelay elsewhere = new LoopbackRelay(GinaPortal.httpsPort(portal.server), "127.0.0.2")) {
            PortalClient attacker = new PortalClient(trust(), URI.create("https://127.0.0.1:" + elsewhere.port()));
            attacker.post("/open", Map.of("container", container.toBase64Url()));
            for (int i = 0; i < 5; i++) {
                assertThat(attacker.submit("/login", Map.of("password", "guess number " + i)).status()).isEqualTo(401);
            }
            PortalClient.Page throttled = attacker.submit("/login", Map.of("password", "carol's own password"));
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(attacker.cookies).doesNotContainKey("__Host-gina-session");
        }
        PortalClient user = new PortalClient(trust(), portal.base());   // the real user, from 127.0.0.1
        user.post("/open", Map.of("container", container.toBase64Url()));
        PortalClient.Page real = user.submit("/login", Map.of("password", "carol's own password"));

        assertThat(real.status()).isEqualTo(200);
        assertThat(real.body()).contains("Quarterly figures");
        assertThat(portal.context.accounts().find(carol).orElseThrow().state()).isEqualTo(AccountState.ACTIVE);
        assertThat(portal.audit()).contains("\"client\":\"127.0.0.2\"").contains("\"outcome\":\"temporarily_locked\"");
    }

    @Test
    void argon2FloodShouldBeRefusedWith503WhileHealthzStays200() throws Exception {
        Path busyDir = dir.resolve("busy");
        try (PortalFixture busy = PortalFixture.start(busyDir, zooKeeper.getConnectString(), gateway.port(), GINA_KEYS,
            KeyRing.generate("s2"), "argon2.memory-kib=65536\nargon2.iterations=4\nargon2.max-concurrent=1\nargon2.max-wait-ms=0\n")) {
            String dave = "dave1@partner.example";
            busy.newAccount(dave);
            GinaContainer container = busy.seal(TestMime.standard(dave), dave);
            List<PortalClient> flood = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                PortalClient client = new PortalClient(busy.trust(), busy.base());
                client.post("/open", Map.of("container", container.toBase64Url()));
                flood.add(client);
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (PortalClient client : flood) {
                    results.add(pool.submit(() -> client.submit("/register", Map.of("first-password", "wrong-first-pw",
                        "password", "some long password", "password2", "some long password")).status()));
                }
                int health = new PortalClient(busy.trust(), busy.base()).get("/healthz").status();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> result : results) {
                    statuses.add(result.get(60, TimeUnit.SECONDS));
                }
                assertThat(health).isEqualTo(200);
                // 503: refused before any Argon2 work; 401/429: the few that got a permit (wrong first password, throttled)
                assertThat(statuses).contains(503).allMatch(s -> s == 503 || s == 401 || s == 429);
            } finally {
                pool.shutdownNow();
            }
            assertThat(new PortalClient(busy.trust(), busy.base()).get("/healthz").status()).isEqualTo(200);
            assertThat(busy.audit()).contains("\"event\":\"busy\"");
        }
    }

    @Test
    void oversizedPreLoginFormsShouldBeRefusedBeforeAnyPasswordCheck() throws Exception {
        String erin = "erin1@partner.example";
        portal.newAccount(erin);
        browser.post("/open", Map.of("container", portal.seal(TestMime.standard(erin), erin).toBase64Url()));

        PortalClient.Page longPassword = browser.submit("/login", Map.of("password", "x".repeat(5_000)));
        int bigBody;
        try {
            bigBody = browser.submit("/login", Map.of("password", "y", "padding", "z".repeat(250_000))).status();
        } catch (java.io.IOException e) {
            bigBody = 413;   // refused from the declared length: the portal may close before the client reads the 413
        }

        assertThat(longPassword.status()).isEqualTo(400);
        assertThat(bigBody).isEqualTo(413);
        assertThat(portal.audit()).contains("\"outcome\":\"field-too-long\"");
    }

    @Test
    void auditFloodShouldRotateWithinItsBoundAndCutLongValues() throws Exception {
        for (int i = 0; i < 150; i++) {
            browser.post("/open", Map.of("container", "garbage-" + "A".repeat(3_000) + i));
        }
        Path audit = portal.settings.auditFile();
        try (var files = Files.list(audit.getParent())) {
            List<Path> all = files.toList();
            assertThat(all).hasSizeLessThanOrEqualTo(3);   // the live file and audit.files=2 rotated ones
            for (Path file : all) {
                assertThat(Files.size(file)).isLessThanOrEqualTo(20_000);
                assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).allMatch(line -> line.length() < 3_000);
            }
        }
        assertThat(Files.exists(audit.resolveSibling(audit.getFileName() + ".1"))).isTrue();
    }

    @Test
    void repliesBeyondTheHourlyLimitShouldBeRefusedAfterGenuineOnesArrive() throws Exception {
        String frank = "frank1@partner.example";
        PortalClient.Page message = registered(frank, "frank's own password");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            browser.submit("/compose", Map.of("mode", "reply"));
            statuses.add(browser.multipart("/reply", Map.of("container", message.hidden("container"),
                "csrf", browser.last.hidden("csrf"), "mode", "reply", "body", "reply number " + i), null, null).status());
        }
        assertThat(statuses).containsExactly(200, 200, 429);
        assertThat(gateway.awaitOne(PortalFixture.ALICE, "")).isNotNull();
        assertThat(portal.audit()).contains("\"outcome\":\"refused-rate-limited\"");
    }

    @Test
    void replyAllShouldReachTheManagedRecipientsWhenTheReplyListenerRefusesOutsideOnes() throws Exception {
        try (RefusingReceiver listener = RefusingReceiver.acceptingOnly("sealgate.test");
             PortalFixture replying = PortalFixture.start(dir.resolve("replying"), zooKeeper.getConnectString(),
                 listener.port(), GINA_KEYS, KeyRing.generate("s4"), "")) {
            String heidi = "heidi1@partner.example";
            String first = replying.newAccount(heidi);
            byte[] original = TestMime.message(PortalFixture.ALICE, heidi, "outsider@elsewhere.example",
                "Figures", "<p>figures</p>");
            PortalClient client = new PortalClient(replying.trust(), replying.base());
            client.post("/open", Map.of("container", replying.seal(original, heidi).toBase64Url()));
            PortalClient.Page message = client.submit("/register", Map.of("first-password", first,
                "password", "heidi's own password", "password2", "heidi's own password"));
            client.submit("/compose", Map.of("mode", "reply-all"));

            PortalClient.Page sent = client.multipart("/reply", Map.of("container", message.hidden("container"),
                "csrf", client.last.hidden("csrf"), "mode", "reply-all", "body", "Thanks"), null, null);

            assertThat(sent.status()).isEqualTo(200);
            assertThat(sent.body()).contains(PortalFixture.ALICE).doesNotContain("outsider@elsewhere.example");
            assertThat(listener.received()).extracting(RefusingReceiver.Received::recipients)
                .containsExactly(List.of(PortalFixture.ALICE));
        }
    }

    @Test
    void securityQuestionShouldNotBeOfferedOrHonouredByDefault() throws Exception {
        String grace = "grace1@partner.example";
        String first = portal.newAccount(grace);
        GinaContainer container = portal.seal(TestMime.standard(grace), grace);
        browser.post("/open", Map.of("container", container.toBase64Url()));
        browser.submit("/register", Map.of("first-password", first, "password", "grace's own password",
            "password2", "grace's own password", "question", "First pet?", "answer", "Rex"));
        PortalClient attacker = new PortalClient(trust(), portal.base());
        attacker.post("/open", Map.of("container", container.toBase64Url()));

        PortalClient.Page forgot = attacker.submit("/forgot", Map.of());
        PortalClient.Page reset = attacker.submit("/reset", Map.of("answer", "rex", "password", "attacker's password",
            "password2", "attacker's password"));

        assertThat(forgot.body()).doesNotContain("First pet?");
        assertThat(reset.status()).isEqualTo(403);
        assertThat(attacker.submit("/login", Map.of("password", "attacker's password")).status()).isEqualTo(401);
    }

    @Test
    void staleFirstPasswordShouldNotRegisterButAFreshResetOneShould() throws Exception {
        String ivan = "ivan1@partner.example";
        String stale;
        try (org.apache.curator.framework.CuratorFramework client = GinaMain.zooKeeper(portal.settings)) {
            // The account was created 15 days ago: its first password (lifetime 14 days) has expired.
            stale = new org.sealgate.gina.account.GinaAccounts(
                org.sealgate.gina.account.AccountStores.zooKeeper(client, org.sealgate.gina.account.AccountStores.creatorOnly()),
                new org.sealgate.gina.account.PasswordHasher(8192, 1, 1), org.sealgate.gina.account.LockoutPolicy.DEFAULT,
                java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofDays(-15)))
                .ensureAccount(ivan).firstPassword().orElseThrow();
        }
        GinaContainer container = portal.seal(TestMime.standard(ivan), ivan);
        browser.post("/open", Map.of("container", container.toBase64Url()));

        PortalClient.Page expired = browser.submit("/register", Map.of("first-password", stale,
            "password", "ivan's own password", "password2", "ivan's own password"));
        String fresh = portal.context.accounts().resetByAdmin(ivan);
        PortalClient.Page registered = browser.submit("/register", Map.of("first-password", fresh,
            "password", "ivan's own password", "password2", "ivan's own password"));

        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).contains("expired");
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.body()).contains("Quarterly figures");
    }

    @Test
    void productionPortalShouldRefuseToStartWithoutItsCertificate() throws Exception {
        Path production = dir.resolve("production");
        Files.createDirectories(production.resolve("secrets"));
        GINA_KEYS.save(production.resolve("gina.keys"));
        KeyRing.generate("s3").save(production.resolve("session.keys"));
        Files.writeString(production.resolve("secrets/gina.credentials"), "gina:gina-test-secret\n");
        Files.writeString(production.resolve(PortalSettings.FILE_NAME), "https.port=0\nzk.connect="
            + zooKeeper.getConnectString() + "\nsmtp.gateway=127.0.0.1:1\n", StandardCharsets.UTF_8);

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> GinaMain.run(
            List.of("--data", production.toString()), System.out));

        assertThat(refused).hasMessageContaining("no TLS certificate").hasMessageContaining("tls.demo-certificate");
        assertThat(production.resolve("tls/portal.p12")).doesNotExist();
    }

    private PortalClient.Page registered(String address, String password) throws Exception {
        String first = portal.newAccount(address);
        browser.post("/open", Map.of("container", portal.seal(TestMime.standard(address), address).toBase64Url()));
        PortalClient.Page page = browser.submit("/register", Map.of("first-password", first, "password", password,
            "password2", password));
        assertThat(page.status()).isEqualTo(200);
        return page;
    }

    /** A container for {@code recipient} as an attacker makes it: right format and key id, random key material. */
    private static GinaContainer forge(String recipient) {
        SecureRandom random = new SecureRandom();
        byte[] wrapNonce = new byte[12];
        byte[] wrapped = new byte[48];
        byte[] contentNonce = new byte[12];
        byte[] ciphertext = new byte[200];
        random.nextBytes(wrapNonce);
        random.nextBytes(wrapped);
        random.nextBytes(contentNonce);
        random.nextBytes(ciphertext);
        return new GinaContainer(GinaContainer.VERSION_1, GINA_KEYS.currentId(), recipient, "<forged@evil.example>",
            Instant.now(), wrapNonce, wrapped, contentNonce, ciphertext);
    }

    private static javax.net.ssl.SSLContext trust() {
        try {
            return portal.trust();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
