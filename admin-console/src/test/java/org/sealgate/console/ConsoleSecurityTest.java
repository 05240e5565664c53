package org.sealgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkTestSupport;

/**
 * The console's defences at the HTTP level, against a real console, real ZooKeeper and the real TLS connector:
 * who gets in (password AND a fresh TOTP code), what a visitor without a session or without the session's CSRF
 * value can do (nothing), throttling, cookies and headers.
 */
class ConsoleSecurityTest {
    @TempDir
    Path dir;
    private ConsoleFixture console;
    private ConsoleClient client;

    @BeforeEach
    void start() throws Exception {
        console = ConsoleFixture.start(dir);
        client = newClient();
    }

    @AfterEach
    void stop() throws Exception {
        if (console != null) {
            console.close();
        }
    }

    private ConsoleClient newClient() throws Exception {
        return new ConsoleClient(console.port(), console.tlsKeystore, console.tlsKeystore.resolveSibling("console.p12.password"));
    }

    private int configVersion() throws Exception {
        return new ConfigStore(console.admin, ZkTestSupport.ACLS, "test").currentVersion();
    }

    @Test
    void loginWithPasswordAndTotpShouldOpenASessionWithStrictCookies() throws Exception {
        HttpResponse<String> login = client.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, console.nextCode(0));
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("location")).hasValue("/");
        String cookie = login.headers().allValues("set-cookie").stream()
            .filter(c -> c.startsWith(ConsoleCookies.SESSION + "=")).findFirst().orElseThrow();
        assertThat(cookie.toLowerCase()).contains("secure", "httponly", "samesite=strict", "path=/", "max-age=28800")
            .doesNotContain("domain=");
        HttpResponse<String> status = client.get("/");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("node-a", "node-b", "198.18.0.9", "primary");
        assertThat(console.audit()).contains("\"admin\":\"ops\",\"event\":\"login\",\"outcome\":\"success\"");
    }

    @Test
    void everyAnswerShouldCarryTheStrictSecurityHeaders() throws Exception {
        for (HttpResponse<String> response : new HttpResponse[] {client.get("/login"), client.get("/"), client.get("/nowhere")}) {
            assertThat(response.headers().firstValue("content-security-policy")).hasValue(org.sealgate.gina.portal.SecurityHeaders.CSP);
            assertThat(response.headers().firstValue("x-frame-options")).hasValue("DENY");
            assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
            assertThat(response.headers().firstValue("strict-transport-security")).isPresent();
            assertThat(response.headers().firstValue("server")).isEmpty();
        }
    }

    @Test
    void withoutASessionPagesShouldRedirectToLoginAndPostsBeRefused() throws Exception {
        for (String page : new String[] {"/", "/config", "/config/diff?version=1", "/audit?sender=alice", "/held"}) {
            HttpResponse<String> response = client.get(page);
            assertThat(response.statusCode()).as(page).isEqualTo(303);
            assertThat(response.headers().firstValue("location")).hasValue("/login");
            assertThat(response.body()).doesNotContain("node-a", "alice");
        }
        HttpResponse<String> rollback = client.post("/config/rollback", Map.of("version", "1", "expected", "3", "csrf", "x"));
        assertThat(rollback.statusCode()).isEqualTo(403);
        client.cookies.put(ConsoleCookies.SESSION, "forged-session-id");
        assertThat(client.get("/").statusCode()).isEqualTo(303);
        assertThat(configVersion()).isEqualTo(3);
    }

    @Test
    void aNonAdminAWrongPasswordOrAMissingTotpCodeShouldBeRefused() throws Exception {
        String code = console.nextCode(0);
        assertThat(client.login("mallory", ConsoleFixture.PASSWORD, code).statusCode()).isEqualTo(403);
        assertThat(client.login(ConsoleFixture.ADMIN, "not the password!", code).statusCode()).isEqualTo(403);
        HttpResponse<String> noCode = client.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, "");
        assertThat(noCode.statusCode()).isEqualTo(403);
        assertThat(noCode.body()).contains(AuthFlow.FAILED);
        String wrong = code.equals("000000") ? "000001" : "000000";
        assertThat(client.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, wrong).statusCode()).isEqualTo(403);
        assertThat(client.cookies).doesNotContainKey(ConsoleCookies.SESSION);
        assertThat(client.get("/").statusCode()).isEqualTo(303);
        assertThat(console.audit()).contains("unknown-admin", "wrong-password", "wrong-code")
            .doesNotContain(ConsoleFixture.PASSWORD, "not the password!");
    }

    @Test
    void aReplayedTotpCodeShouldBeRefused() throws Exception {
        String code = console.nextCode(0);
        assertThat(client.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, code).statusCode()).isEqualTo(303);
        ConsoleClient attacker = newClient();
        HttpResponse<String> replay = attacker.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, code);
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(attacker.cookies).doesNotContainKey(ConsoleCookies.SESSION);
        assertThat(console.audit()).contains("replayed-code");
    }

    @Test
    void aPostWithoutTheSessionsCsrfValueShouldChangeNothing() throws Exception {
        assertThat(client.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, console.nextCode(0)).statusCode()).isEqualTo(303);
        assertThat(client.post("/config/rollback", Map.of("version", "1", "expected", "3")).statusCode()).isEqualTo(403);
        assertThat(client.post("/config/rollback", Map.of("version", "1", "expected", "3", "csrf", "guessed")).statusCode())
            .isEqualTo(403);
        assertThat(client.post("/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(configVersion()).isEqualTo(3);
        assertThat(client.get("/").statusCode()).isEqualTo(200);   // still logged in: the forged logout did nothing
        assertThat(console.audit()).contains("\"event\":\"csrf-check\",\"outcome\":\"refused\"");
        // the login form needs its pre-login cookie echoed too
        ConsoleClient other = newClient();
        assertThat(other.post("/login", Map.of("csrf", "x", "name", ConsoleFixture.ADMIN, "password", ConsoleFixture.PASSWORD,
            "code", console.nextCode(1))).statusCode()).isEqualTo(403);
    }

    @Test
    void rollbackShouldApplyTheOldDocumentAsANewVersionAuthoredByTheAdmin() throws Exception {
        assertThat(client.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, console.nextCode(0)).statusCode()).isEqualTo(303);
        String diff = client.get("/config/diff?version=3").body();
        assertThat(diff).contains("-    encrypt: required", "+    encrypt: off");
        String csrf = ConsoleClient.csrf(diff);
        HttpResponse<String> stale = client.post("/config/rollback", Map.of("version", "1", "expected", "2", "csrf", csrf));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(configVersion()).isEqualTo(3);
        HttpResponse<String> done = client.post("/config/rollback", Map.of("version", "1", "expected", "3", "csrf", csrf));
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("now configuration version 4");
        ConfigStore store = new ConfigStore(console.admin, ZkTestSupport.ACLS, "test");
        assertThat(store.currentVersion()).isEqualTo(4);
        assertThat(store.show().orElseThrow().document()).isEqualTo(store.historyDocument(1));
        assertThat(store.history().get(3).author()).isEqualTo("console:ops");
        assertThat(store.history().get(3).message()).isEqualTo("rollback to version 1");
        assertThat(console.audit()).contains("\"admin\":\"ops\",\"event\":\"config-rollback\",\"outcome\":\"success\"",
            "\"new-version\":\"4\"");
    }

    @Test
    void auditSearchShouldFindBySenderRecipientMessageIdAndTime() throws Exception {
        assertThat(client.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, console.nextCode(0)).statusCode()).isEqualTo(303);
        assertThat(client.get("/audit?recipient=carol").body()).contains("2 match(es)", "&lt;old@demo&gt;", "&lt;m2@demo&gt;");
        assertThat(client.get("/audit?sender=ALICE").body()).contains("2 match(es)", "bounced");
        assertThat(client.get("/audit?message-id=m1%40").body()).contains("1 match(es)", "dave@partner.example");
        assertThat(client.get("/audit?recipient=carol&from=2026-12-06").body()).contains("1 match(es)", "&lt;m2@demo&gt;")
            .doesNotContain("old@demo");
        assertThat(client.get("/audit?to=2026-12-06T01:01").body()).contains("2 match(es)").contains("1 unreadable line");
        assertThat(client.get("/audit?from=yesterday").statusCode()).isEqualTo(400);
        assertThat(console.audit()).contains("\"admin\":\"ops\",\"event\":\"audit-search\"", "\"recipient\":\"carol\"");
    }

    @Test
    void theKeysPageShouldListPartnerCertificatesFromTheClusterKeyStore() throws Exception {
        assertThat(client.get("/keys").statusCode()).isEqualTo(303);
        assertThat(client.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, console.nextCode(0)).statusCode()).isEqualTo(303);
        HttpResponse<String> keys = client.get("/keys");
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.body()).contains(org.sealgate.keys.Fingerprints.sha256(org.sealgate.testing.TestPki.carolX25519().certificate()));
    }

    @Test
    void theStatusPageShouldShowLiveCountersFromTheNodesMetricsAndSayWhenTheyAreUnreachable() throws Exception {
        console.close();
        try (org.sealgate.testing.RecordingHttpEndpoint metrics = org.sealgate.testing.RecordingHttpEndpoint.start("/metrics",
            "# HELP sealgate_mails_total mails\n# TYPE sealgate_mails_total counter\nsealgate_mails_total{outcome=\"encrypted\"} 42\n", "no")) {
            console = ConsoleFixture.start(dir.resolve("with-metrics"), java.util.Optional.of(metrics));
            client = newClient();
            assertThat(client.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, console.nextCode(0)).statusCode()).isEqualTo(303);
            String status = client.get("/").body();
            assertThat(status).contains("sealgate_mails_total{outcome=&quot;encrypted&quot;}", "<td>42</td>");
            // Every registered node's own counters, from the admin address it publishes; one that does not answer is said so.
            String nodeA = status.substring(status.indexOf("id=\"counters-node-a\""), status.indexOf("id=\"counters-node-b\""));
            assertThat(nodeA).contains("sealgate_mails_total", "<td>42</td>").doesNotContain("unreachable");
            String nodeB = status.substring(status.indexOf("id=\"counters-node-b\""));
            assertThat(nodeB.substring(0, nodeB.indexOf("</section>"))).contains("unreachable: cannot read http://127.0.0.1:");
            metrics.answerWith(503);
            assertThat(client.get("/").body()).contains("id=\"counters-problem\"", "answered 503", "node-a");
        }
    }

    @Test
    void repeatedFailuresShouldThrottleEvenTheRightCredentials() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(client.login(ConsoleFixture.ADMIN, "wrong password " + i, "123456").statusCode()).isEqualTo(403);
        }
        HttpResponse<String> right = newClient().login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, console.nextCode(0));
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.body()).contains("Too many failed logins");
        assertThat(console.audit()).contains("throttled");
    }

    @Test
    void logoutShouldEndTheSession() throws Exception {
        assertThat(client.login(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, console.nextCode(0)).statusCode()).isEqualTo(303);
        String session = client.cookies.get(ConsoleCookies.SESSION);
        String csrf = ConsoleClient.csrf(client.get("/").body());
        assertThat(client.post("/logout", Map.of("csrf", csrf)).statusCode()).isEqualTo(303);
        client.cookies.put(ConsoleCookies.SESSION, session);
        assertThat(client.get("/").statusCode()).isEqualTo(303);
    }
}
