package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.internet.MimeMessage;

import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.sealgate.admin.AdminToken;
import org.sealgate.cli.CliAccess;
import org.sealgate.cli.HeadlessChromium;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.SmtpSink;
import org.sealgate.zk.admin.ClusterAdminToken;
import org.sealgate.zk.admin.NodeAdminClient;
import org.sealgate.zk.registry.NodeStatus;

/**
 * Held mail across a real two-node cluster (node A in this JVM, node B its own process, one ZooKeeper):
 * {@code sealgate mail held list --cluster} lists both nodes' held mail with the node id; release on node B from
 * here re-runs the policy (held again without a key, out encrypted once the key is in the cluster, checked with
 * openssl); delete on node A; the console (its own JVM, shared by the console tests) does the same over HTTP and
 * in a real browser (headless Debian chromium: TOTP login, both nodes' counters, release and delete by click;
 * screenshots in target/console-held-browser); a node's admin endpoint refuses held-mail calls without the token,
 * with another cluster's token or with another node's local token; a node that is down is named as not reached.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HeldMailClusterTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final Pattern LISTED = Pattern.compile("^(node-[ab])  ([0-9a-f]{24})  .*$", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final Path SHOTS = Path.of("target", "console-held-browser").toAbsolutePath();

    @TempDir
    static Path work;
    static TestingServer zooKeeper;
    static SmtpSink receiver;
    static ClusterAdmin admin;
    static Gateway nodeA;
    static NodeProcess nodeB;
    static CertificateIssuer partnerCa;
    static ConsoleProcess sharedConsole;

    @BeforeAll
    static void startCluster() throws Exception {
        zooKeeper = new TestingServer(true);
        receiver = SmtpSink.onFreePort();
        admin = new ClusterAdmin(zooKeeper.getConnectString(), work.resolve("admin"));
        ClusterAdmin.CliResult applied = admin.configApply("""
            schema-version: 1
            domains:
              - name: demo.sealgate.test
                sign: true
              - name: secure.example
                encrypt: required
                unencryptable: hold
            trusted-networks: [127.0.0.1/32]
            gina: {host-name: gina.demo.sealgate.test, port: 8443}
            vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
            nodes:
              - {id: node-a, addresses: [127.0.0.1], role: primary, priority: 150}
              - {id: node-b, addresses: [127.0.0.1], role: secondary, priority: 100}
            """);
        assertThat(applied.status()).as("config apply: %s", applied.err()).isZero();
        CertificateIssuer demoCa = CertificateIssuer.newCa("Held Cluster Demo CA");
        partnerCa = CertificateIssuer.newCa("Held Cluster Partner CA");
        admin.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
        nodeA = admin.startNode(work.resolve("node-a"), "node-a", Optional.of(receiver.hostPort()));
        int portB = admin.prepareNode(work.resolve("node-b"), "node-b", Optional.of(receiver.hostPort()));
        nodeB = NodeProcess.start(work.resolve("node-b"), portB, work.resolve("node-b.log"));
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250))
            .until(() -> admin.nodes().stream().filter(n -> n.admin() != null).count() == 2);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {sharedConsole, nodeB, nodeA, admin, receiver, zooKeeper}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    @Order(1)
    void listClusterShouldShowTheHeldMailOfBothNodesWithTheirNodeIds() throws Exception {
        send(nodeA.smtpPort(), "dave@secure.example", "cluster-held-a");
        send(nodeB.smtpPort(), "erin@secure.example", "cluster-held-b");

        Cli list = Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(500))
            .until(() -> mail("held", "list", "--cluster"), cli -> cli.out().contains("dave@secure.example")
                && cli.out().contains("erin@secure.example"));

        assertThat(list.status()).as(list.err()).isZero();
        assertThat(idOn("node-a", "dave@secure.example", list.out())).isPresent();
        assertThat(idOn("node-b", "erin@secure.example", list.out())).isPresent();
        assertThat(list.out()).contains("reason:  policy requires encryption: no certificate known for erin@secure.example")
            .contains("held mail(s) on 2 of 2 node(s)");
    }

    @Test
    @Order(2)
    void releaseOnAnotherNodeShouldRunThePolicyAgainAndOnceTheKeyIsKnownGoOutEncrypted() throws Exception {
        String first = awaitId("node-b", "erin@secure.example");

        // Attack: the console's or CLI's release cannot send in clear what the policy requires encrypted.
        Cli again = mail("held", "release", first, "--node", "node-b");
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("node-b: released " + first);
        String second = Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(500))
            .until(() -> idOn("node-b", "erin@secure.example", mail("held", "list", "--cluster").out()),
                id -> id.isPresent() && !id.get().equals(first)).orElseThrow();
        assertThat(receiver.messagesFor("erin@secure.example")).isEmpty();
        assertThat(Gateway.auditEvents(work.resolve("node-b"))).anySatisfy(event -> {
            assertThat(event.get("outcome")).isEqualTo("release-requested");
            assertThat(String.valueOf(event.get("reason"))).contains(first).contains("requested by cli:");
        });

        IssuedIdentity erin = partnerCa.issue(IssueRequest.forEmail("erin@secure.example", KeyType.RSA_2048));
        admin.keys().addCertificate(erin.certificate());
        // Node B reads the key store from ZooKeeper: release until it has the key (each release is decided anew).
        String current = second;
        for (int attempt = 0; attempt < 20 && receiver.messagesFor("erin@secure.example").isEmpty(); attempt++) {
            assertThat(mail("held", "release", current, "--node", "node-b").status()).isZero();
            Thread.sleep(1000);
            Optional<String> next = idOn("node-b", "erin@secure.example", mail("held", "list", "--cluster").out());
            if (next.isEmpty()) {
                break;
            }
            current = next.get();
        }
        MimeMessage encrypted = receiver.awaitOne("erin@secure.example", "cluster-held-b");
        assertThat(encrypted.getContentType()).contains("application/pkcs7-mime");
        assertThat(new String(SmtpSink.raw(encrypted), StandardCharsets.UTF_8)).doesNotContain("body of cluster-held-b");
        assertThat(new String(OpenSslChecks.decrypt(work, SmtpSink.raw(encrypted), erin), StandardCharsets.UTF_8))
            .contains("body of cluster-held-b");
    }

    @Test
    @Order(3)
    void deleteOnANodeShouldRemoveItThere() throws Exception {
        String id = awaitId("node-a", "dave@secure.example");

        Cli deleted = mail("held", "delete", id, "--node", "node-a");

        assertThat(deleted.status()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("node-a: deleted " + id);
        assertThat(nodeA.heldMail().list().mails()).noneMatch(m -> m.id().equals(id));
        Cli unknown = mail("held", "delete", id, "--node", "node-a");
        assertThat(unknown.status()).isNotZero();
    }

    @Test
    @Order(4)
    void theConsoleShouldShowEveryNodesCountersAndReleaseAndDeleteHeldMailAsTheAdmin() throws Exception {
        send(nodeA.smtpPort(), "gus@secure.example", "console-held-release");
        send(nodeA.smtpPort(), "hal@secure.example", "console-held-delete");
        String gus = awaitId("node-a", "gus@secure.example");
        String hal = awaitId("node-a", "hal@secure.example");
        ConsoleProcess console = console();
        // Attack: a forged form without a session releases nothing.
        assertThat(console.post("/held/release", Map.of("node", "node-a", "id", gus, "csrf", "x"), false).statusCode())
            .isEqualTo(403);
        console.login();

        String status = console.get("/").body();
        assertThat(section(status, "counters-node-a")).contains("sealgate_").doesNotContain("unreachable");
        assertThat(section(status, "counters-node-b")).contains("sealgate_").doesNotContain("unreachable");

        String held = console.get("/held").body();
        assertThat(held).contains("<td class=\"held-node\">node-a</td><td class=\"held-id\">" + gus)
            .contains("gus@secure.example", "no certificate known for gus@secure.example", hal);
        String csrf = ConsoleProcess.csrf(held);
        // Attack: with the session but without (or with a guessed) anti-CSRF value nothing is released.
        assertThat(console.post("/held/release", Map.of("node", "node-a", "id", gus)).statusCode()).isEqualTo(403);
        assertThat(console.post("/held/release", Map.of("node", "node-a", "id", gus, "csrf", "guessed")).statusCode())
            .isEqualTo(403);
        assertThat(heldOnA("gus@secure.example")).contains(gus);

        IssuedIdentity gusKey = partnerCa.issue(IssueRequest.forEmail("gus@secure.example", KeyType.RSA_2048));
        admin.keys().addCertificate(gusKey.certificate());
        String current = gus;
        for (int attempt = 0; attempt < 20 && receiver.messagesFor("gus@secure.example").isEmpty(); attempt++) {
            HttpResponse<String> released = console.post("/held/release", Map.of("node", "node-a", "id", current, "csrf", csrf));
            assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
            assertThat(released.body()).contains("node-a: released " + current);
            Thread.sleep(1000);
            Optional<String> next = heldOnA("gus@secure.example");
            if (next.isEmpty()) {
                break;
            }
            current = next.get();
        }
        MimeMessage encrypted = receiver.awaitOne("gus@secure.example", "console-held-release");
        assertThat(encrypted.getContentType()).contains("application/pkcs7-mime");
        assertThat(new String(OpenSslChecks.decrypt(work, SmtpSink.raw(encrypted), gusKey), StandardCharsets.UTF_8))
            .contains("body of console-held-release");

        HttpResponse<String> deleted = console.post("/held/delete", Map.of("node", "node-a", "id", hal, "csrf", csrf));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.body()).contains("node-a: deleted " + hal);
        assertThat(heldOnA("hal@secure.example")).isEmpty();
        assertThat(receiver.messagesFor("hal@secure.example")).isEmpty();

        assertThat(console.audit()).contains("\"admin\":\"ops\",\"event\":\"held-release\",\"outcome\":\"success\"")
            .contains("\"admin\":\"ops\",\"event\":\"held-delete\",\"outcome\":\"success\"")
            .contains("\"event\":\"csrf-check\",\"outcome\":\"refused\"");
        assertThat(Gateway.auditEvents(work.resolve("node-a"))).anySatisfy(event ->
            assertThat(String.valueOf(event.get("reason"))).contains(hal + " delete requested by console:ops"));
    }

    private static String section(String html, String id) {
        int start = html.indexOf("id=\"" + id + "\"");
        assertThat(start).as("%s in %s", id, html).isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }

    private static Optional<String> heldOnA(String recipient) throws Exception {
        return nodeA.heldMail().list().mails().stream().filter(m -> m.recipients().contains(recipient))
            .map(org.sealgate.held.HeldMail::id).findFirst();
    }

    @Test
    @Order(5)
    void aBrowserShouldLogInWithTotpSeeBothNodesAndReleaseAndDeleteHeldMailInTheConsole() throws Exception {
        send(nodeB.smtpPort(), "ivy@secure.example", "browser-held-release");
        send(nodeA.smtpPort(), "jon@secure.example", "browser-held-delete");
        String ivy = awaitId("node-b", "ivy@secure.example");
        String jon = awaitId("node-a", "jon@secure.example");
        ConsoleProcess console = console();
        String base = console.base();
        WebDriver browser = HeadlessChromium.start(Optional.empty(), work.resolve("chromedriver.log"));
        try {
            browser.get(base + "/held");
            assertThat(browser.getCurrentUrl()).as("held mail without a login").isEqualTo(base + "/login");
            browser.findElement(By.id("name")).sendKeys(ConsoleProcess.ADMIN);
            browser.findElement(By.id("password")).sendKeys(ConsoleProcess.PASSWORD);
            // The next step's code: the HTTP test's login may have spent this step's (each step counts once).
            browser.findElement(By.id("code")).sendKeys(console.code(1));
            browser.findElement(By.id("login")).click();
            HeadlessChromium.awaitText(browser, "admin", ConsoleProcess.ADMIN);

            browser.get(base + "/");
            assertThat(browser.findElements(By.cssSelector("#nodes .node-id")).stream().map(WebElement::getText))
                .containsExactlyInAnyOrder("node-a", "node-b");
            for (String node : List.of("node-a", "node-b")) {
                assertThat(browser.findElement(By.id("counters-" + node)).getText()).as(node)
                    .contains("sealgate_").doesNotContain("unreachable");
            }
            HeadlessChromium.screenshot(browser, SHOTS, "01-status");

            browser.findElement(By.id("nav-held")).click();
            HeadlessChromium.awaitText(browser, "title", "Held mail");
            assertHeldRow(browser, ivy, "node-b", "ivy@secure.example");
            assertHeldRow(browser, jon, "node-a", "jon@secure.example");
            HeadlessChromium.screenshot(browser, SHOTS, "02-held");

            IssuedIdentity ivyKey = partnerCa.issue(IssueRequest.forEmail("ivy@secure.example", KeyType.RSA_2048));
            admin.keys().addCertificate(ivyKey.certificate());
            // Node B may release before its key store has the key: then it is held again under a new id; click again.
            String current = ivy;
            for (int attempt = 0; attempt < 20 && !current.isEmpty(); attempt++) {
                browser.findElement(By.cssSelector("#held-" + current + " button.release")).click();
                HeadlessChromium.awaitText(browser, "notice", "node-b: released " + current);
                String released = current;
                current = Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    if (!receiver.messagesFor("ivy@secure.example").isEmpty()) {
                        return "";
                    }
                    browser.get(base + "/held");
                    return heldInBrowser(browser, "ivy@secure.example").orElse(released);
                }, id -> !id.equals(released));
            }
            MimeMessage encrypted = receiver.awaitOne("ivy@secure.example", "browser-held-release");
            assertThat(encrypted.getContentType()).contains("application/pkcs7-mime");
            assertThat(new String(SmtpSink.raw(encrypted), StandardCharsets.UTF_8)).doesNotContain("body of browser-held-release");
            assertThat(new String(OpenSslChecks.decrypt(work, SmtpSink.raw(encrypted), ivyKey), StandardCharsets.UTF_8))
                .contains("body of browser-held-release");
            browser.get(base + "/held");
            assertThat(heldInBrowser(browser, "ivy@secure.example")).isEmpty();

            browser.findElement(By.cssSelector("#held-" + jon + " button.delete")).click();
            HeadlessChromium.awaitText(browser, "notice", "node-a: deleted " + jon);
            HeadlessChromium.screenshot(browser, SHOTS, "03-deleted");
            assertThat(browser.findElements(By.id("held-" + jon))).isEmpty();
            assertThat(nodeA.heldMail().list().mails()).noneMatch(m -> m.id().equals(jon));
            assertThat(receiver.messagesFor("jon@secure.example")).isEmpty();
            assertThat(Gateway.auditEvents(work.resolve("node-a"))).anySatisfy(event ->
                assertThat(String.valueOf(event.get("reason"))).contains(jon + " delete requested by console:ops"));

            browser.findElement(By.id("logout")).click();
            HeadlessChromium.awaitText(browser, "title", "Administrator login");
            browser.get(base + "/held");
            assertThat(browser.getCurrentUrl()).as("held mail after logging out").isEqualTo(base + "/login");
        } finally {
            browser.quit();
        }
    }

    private static void assertHeldRow(WebDriver browser, String id, String node, String recipient) {
        WebElement row = browser.findElement(By.id("held-" + id));
        assertThat(row.findElement(By.className("held-node")).getText()).isEqualTo(node);
        assertThat(row.findElement(By.className("held-recipients")).getText()).isEqualTo(recipient);
        assertThat(row.getText()).contains(ALICE, "policy requires encryption: no certificate known for " + recipient);
    }

    /** The id of the held mail for this recipient on the page the browser shows. */
    private static Optional<String> heldInBrowser(WebDriver browser, String recipient) {
        return browser.findElements(By.cssSelector("#held tr.held-mail")).stream()
            .filter(row -> row.findElement(By.className("held-recipients")).getText().contains(recipient))
            .map(row -> row.findElement(By.className("held-id")).getText()).findFirst();
    }

    /** The console, started once for the console tests (one admin account "ops" in this cluster's ZooKeeper). */
    private static ConsoleProcess console() throws Exception {
        if (sharedConsole == null) {
            sharedConsole = ConsoleProcess.start(work.resolve("console"), zooKeeper.getConnectString(), admin.adminCredentials,
                admin.adminClient(), work.resolve("node-a").resolve("audit"));
        }
        return sharedConsole;
    }

    @Test
    @Order(6)
    void theAdminEndpointShouldRefuseHeldMailCallsWithoutTheRightToken() throws Exception {
        String nodeAAdmin = registryEntry("node-a").admin();
        assertThat(call(nodeAAdmin, null)).isEqualTo(401);
        assertThat(call(nodeAAdmin, "not-the-token")).isEqualTo(401);
        // Node B's own local token is for node B only.
        assertThat(call(nodeAAdmin, AdminToken.read(work.resolve("node-b").resolve("admin")))).isEqualTo(401);
        try (TestingServer other = new TestingServer(true);
             ClusterAdmin otherAdmin = new ClusterAdmin(other.getConnectString(), work.resolve("other-admin"))) {
            assertThat(otherAdmin.configApply(org.sealgate.cli.ClusterDocuments.withPartner("opportunistic")).status()).isZero();
            String theirs = ClusterAdminToken.readOrCreate(otherAdmin.adminClient());
            assertThat(call(nodeAAdmin, theirs)).isEqualTo(401);
        }
        assertThat(call(nodeAAdmin, ClusterAdminToken.readOrCreate(admin.adminClient()))).isEqualTo(200);
        // The node-local token still works on its own node (the CLI on the node).
        assertThat(call(nodeAAdmin, AdminToken.read(work.resolve("node-a").resolve("admin")))).isEqualTo(200);
    }

    @Test
    @Order(7)
    void aNodeThatIsDownShouldBeNamedAsNotReached() throws Exception {
        nodeB.kill();     // its registry entry outlives it until the session times out

        Cli list = mail("held", "list", "--cluster");

        assertThat(list.status()).isEqualTo(1);
        assertThat(list.err()).contains("node node-b not reached");
        assertThat(list.out()).contains("on 1 of 2 node(s); 1 not reached");
    }

    private record Cli(int status, String out, String err) {
    }

    private static Cli mail(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--zk", zooKeeper.getConnectString(), "--admin-credentials", admin.adminCredentials.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            status = CliAccess.mail(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            return new Cli(1, out.toString(StandardCharsets.UTF_8), e.getMessage());
        }
        return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String awaitId(String node, String recipient) {
        return Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(500))
            .until(() -> idOn(node, recipient, mail("held", "list", "--cluster").out()), Optional::isPresent).orElseThrow();
    }

    private static Optional<String> idOn(String node, String recipient, String listing) {
        Matcher m = LISTED.matcher(listing);
        while (m.find()) {
            if (m.group(1).equals(node) && m.group().contains("to " + recipient)) {
                return Optional.of(m.group(2));
            }
        }
        return Optional.empty();
    }

    private static void send(int port, String to, String id) throws Exception {
        assertThat(SmtpClient.send(port, ALICE, List.of(to), TestMails.plain(ALICE, List.of(to), "held " + id, id,
            "body of " + id)).code()).isEqualTo(250);
    }

    private static NodeStatus registryEntry(String id) throws Exception {
        return admin.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    private static int call(String adminAddress, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + adminAddress + "/held"))
            .timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token).header(NodeAdminClient.CALLER_HEADER, "test");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
