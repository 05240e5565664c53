package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.testing.SmtpSink;

/** The portal's flows over real HTTPS (port 0), a real ZooKeeper and a real SMTP sink for replies. */
class PortalFlowTest {
    @TempDir
    static Path dir;
    private static TestingServer zooKeeper;
    private static SmtpSink gateway;
    private static PortalFixture portal;
    /** Key g0 sealed old containers and has been retired; g1 was rotated out but still opens; g2 is current. */
    private static final KeyRing RETIRED_ONLY = KeyRing.generate("g0");
    private static final KeyRing GINA_KEYS = RETIRED_ONLY.rotate("g1").retire("g0").rotate("g2");
    private PortalClient browser;

    @BeforeAll
    static void start() throws Exception {
        zooKeeper = new TestingServer(true);
        gateway = SmtpSink.onFreePort();
        portal = PortalFixture.start(dir.resolve("node-a"), zooKeeper.getConnectString(), gateway.port(), GINA_KEYS,
            KeyRing.generate("s1"), "upload.max-bytes=2000000\nreply.max-attachment-bytes=100000\nself-service-reset=true\n");
    }

    @AfterAll
    static void stop() throws Exception {
        portal.close();
        gateway.close();
        zooKeeper.close();
    }

    @BeforeEach
    void newBrowser() throws Exception {
        browser = new PortalClient(portal.trust(), portal.base());
    }

    @Test
    void recipientShouldRegisterReadDownloadReplyAndLogOut() throws Exception {
        String carol = "carol1@partner.example";
        String first = portal.newAccount(carol);
        GinaContainer container = portal.seal(TestMime.standard(carol), carol);

        PortalClient.Page register = browser.post("/open", Map.of("container", container.toBase64Url()));
        assertThat(register.status()).isEqualTo(200);
        assertThat(register.body()).contains("Register to read").contains(carol);
        assertThat(register.header("Strict-Transport-Security")).contains("max-age=31536000");
        assertThat(register.header("Content-Security-Policy")).contains("default-src 'none'").contains("frame-ancestors 'none'");
        assertThat(register.response().headers().allValues("Set-Cookie"))
            .anySatisfy(c -> assertThat(c).startsWith("__Host-gina-pre=").contains("Secure").contains("HttpOnly").contains("SameSite=Strict"));

        PortalClient.Page message = browser.submit("/register", Map.of("first-password", first,
            "password", "carol's own password", "password2", "carol's own password"));
        assertThat(message.status()).isEqualTo(200);
        assertThat(message.body()).contains("Quarterly figures").contains("<b>Carol</b>").contains("figures.pdf")
            .doesNotContain("<script").doesNotContain("onerror").doesNotContain("javascript:");
        assertThat(browser.cookies).containsKey("__Host-gina-session");

        PortalClient.Page download = browser.submit("/attachment", Map.of("part", "0"));
        assertThat(download.bytes()).isEqualTo(TestMime.ATTACHMENT);
        assertThat(download.header("Content-Disposition")).startsWith("attachment; filename=\"figures.pdf\"");
        assertThat(download.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");

        browser.submit("/compose", Map.of("mode", "reply-all"));
        PortalClient.Page sent = browser.multipart("/reply", Map.of("container", browser.last.hidden("container"),
            "csrf", browser.last.hidden("csrf"), "mode", "reply-all", "body", "Thanks, received."), "answer.bin",
            new byte[] {1, 2, 3, 4});
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body()).contains("Your reply was sent").contains(PortalFixture.ALICE).contains("bob@sealgate.test");
        MimeMessage reply = gateway.awaitOne(PortalFixture.ALICE, "");
        assertThat(reply.getSubject()).isEqualTo("Re: Quarterly figures");
        assertThat(reply.getFrom()[0].toString()).isEqualTo(carol);
        assertThat(reply.getHeader("X-Sealgate-Gina-Reply")[0]).startsWith("<original-");
        assertThat(SmtpSink.text(reply)).contains("Thanks, received.");
        assertThat(((MimeMultipart) reply.getContent()).getCount()).isEqualTo(2);
        assertThat(gateway.messagesFor("bob@sealgate.test")).isNotEmpty();

        PortalClient.Page loggedOut = browser.submit("/logout", Map.of());
        assertThat(loggedOut.body()).contains("You are logged out");
        assertThat(portal.audit()).contains("\"event\":\"register\"").contains("\"event\":\"read\"")
            .contains("\"event\":\"download\"").contains("\"event\":\"reply\"").contains("\"event\":\"logout\"")
            .doesNotContain(first).doesNotContain("carol's own password");
    }

    @Test
    void replayedSessionTokenShouldBeRefusedAfterLogout() throws Exception {
        PortalClient.Page message = loggedIn("carol2@partner.example");
        String token = browser.cookies.get("__Host-gina-session");
        String csrf = message.hidden("csrf");
        String container = message.hidden("container");
        browser.submit("/logout", Map.of());

        browser.cookies.put("__Host-gina-session", token);
        PortalClient.Page replay = browser.post("/message", Map.of("container", container, "csrf", csrf));

        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.body()).contains("Your session has ended").doesNotContain("Quarterly figures");
    }

    @Test
    void forgedSessionTokenShouldBeRefused() throws Exception {
        PortalClient.Page message = loggedIn("carol3@partner.example");
        String token = browser.cookies.get("__Host-gina-session");
        browser.cookies.put("__Host-gina-session", token.substring(0, 30) + (token.charAt(30) == 'A' ? 'B' : 'A') + token.substring(31));

        PortalClient.Page forged = browser.post("/message", Map.of("container", message.hidden("container"),
            "csrf", message.hidden("csrf")));

        assertThat(forged.status()).isEqualTo(401);
        assertThat(portal.audit()).contains("\"event\":\"session-refused\"");
    }

    @Test
    void requestsWithoutCsrfTokenShouldBeRefused() throws Exception {
        PortalClient.Page message = loggedIn("carol4@partner.example");

        PortalClient.Page noToken = browser.post("/compose", Map.of("container", message.hidden("container"), "mode", "reply"));
        PortalClient.Page wrongToken = browser.post("/logout", Map.of("container", message.hidden("container"), "csrf", "guess"));
        PortalClient other = new PortalClient(portal.trust(), portal.base());
        PortalClient.Page loginWithoutPre = other.post("/login", Map.of("container", message.hidden("container"),
            "csrf", "x", "password", "whatever password"));

        assertThat(noToken.status()).isEqualTo(403);
        assertThat(wrongToken.status()).isEqualTo(403);
        assertThat(loginWithoutPre.status()).isEqualTo(403);
        assertThat(browser.submit("/message", Map.of()).status()).isEqualTo(200);   // the session survived both
        assertThat(portal.audit()).contains("\"event\":\"csrf-refused\"");
    }

    @Test
    void tamperedContainerShouldShowAClearErrorAndNoPlaintext() throws Exception {
        String carol = "carol5@partner.example";
        loggedIn(carol);
        byte[] bytes = portal.seal(TestMime.standard(carol), carol).toBytes();
        bytes[bytes.length - 40] ^= 0x20;
        String tampered = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        PortalClient.Page page = browser.post("/message", Map.of("container", tampered, "csrf", browser.last.hidden("csrf")));

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("failed its integrity check").doesNotContain("Quarterly").doesNotContain("figures");
        assertThat(portal.audit()).contains("\"outcome\":\"integrity\"");
        PortalClient.Page garbled = browser.post("/open", Map.of("container", "SGGINA-not-a-container"));
        assertThat(garbled.status()).isEqualTo(400);
        assertThat(garbled.body()).contains("damaged or incomplete");
    }

    @Test
    void containerForAnotherRecipientShouldBeRefused() throws Exception {
        loggedIn("carol6@partner.example");
        portal.newAccount("dave@partner.example");
        GinaContainer forDave = portal.seal(TestMime.standard("dave@partner.example"), "dave@partner.example");

        PortalClient.Page page = browser.post("/message", Map.of("container", forDave.toBase64Url(), "csrf", browser.last.hidden("csrf")));

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("sent to another address").doesNotContain("Quarterly");
    }

    @Test
    void containersUnderUnknownOrRetiredKeysShouldBeRefused() throws Exception {
        String carol = "carol7@partner.example";
        loggedIn(carol);
        byte[] mime = TestMime.standard(carol);
        GinaContainer unknown = new org.sealgate.gina.container.ContainerCrypto().seal(mime, carol, "<u@x>", KeyRing.generate("elsewhere"));
        // g1 is readable in the portal's ring; a portal whose ring retired g1 refuses it.
        GinaContainer underG1 = new org.sealgate.gina.container.ContainerCrypto().seal(mime, carol, "<r@x>",
            new KeyRing("g1", Map.of("g1", GINA_KEYS.lookup("g1").key().orElseThrow().getEncoded()), java.util.Set.of()));
        GinaContainer underRetiredG0 = new org.sealgate.gina.container.ContainerCrypto().seal(mime, carol, "<g0@x>", RETIRED_ONLY);
        String csrf = browser.last.hidden("csrf");

        PortalClient.Page unknownPage = browser.post("/message", Map.of("container", unknown.toBase64Url(), "csrf", csrf));
        PortalClient.Page oldKeyPage = browser.post("/message", Map.of("container", underG1.toBase64Url(), "csrf", csrf));
        PortalClient.Page retiredPage = browser.post("/message", Map.of("container", underRetiredG0.toBase64Url(), "csrf", csrf));

        assertThat(unknownPage.status()).isEqualTo(400);
        assertThat(unknownPage.body()).contains("key this portal no longer (or not yet) accepts").doesNotContain("Quarterly");
        assertThat(oldKeyPage.status()).isEqualTo(200);   // rotated, not retired: still readable
        assertThat(retiredPage.status()).isEqualTo(400);
        assertThat(retiredPage.body()).doesNotContain("Quarterly");
        assertThat(portal.audit()).contains("\"outcome\":\"unknown_key\"").contains("\"outcome\":\"retired_key\"");
    }

    @Test
    void bruteForceShouldEngageTheLockout() throws Exception {
        String carol = "carol8@partner.example";
        loggedIn(carol);
        browser.submit("/logout", Map.of());
        PortalClient attacker = new PortalClient(portal.trust(), portal.base());
        GinaContainer container = portal.seal(TestMime.standard(carol), carol);
        attacker.post("/open", Map.of("container", container.toBase64Url()));

        for (int i = 0; i < 5; i++) {
            assertThat(attacker.submit("/login", Map.of("password", "guess number " + i)).status()).isEqualTo(401);
        }
        PortalClient.Page locked = attacker.submit("/login", Map.of("password", "carol's own password"));

        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.body()).contains("Too many failed attempts");
        assertThat(attacker.cookies).doesNotContainKey("__Host-gina-session");
        assertThat(portal.audit()).contains("\"outcome\":\"temporarily_locked\"");
    }

    @Test
    void oversizedUploadsShouldBeRefused() throws Exception {
        PortalClient.Page message = loggedIn("carol9@partner.example");
        browser.submit("/compose", Map.of("mode", "reply"));

        PortalClient.Page bigAttachment = browser.multipart("/reply", Map.of("container", message.hidden("container"),
            "csrf", message.hidden("csrf"), "mode", "reply", "body", "too big"), "big.bin", new byte[150_000]);

        assertThat(bigAttachment.status()).isEqualTo(413);
        assertThat(bigAttachment.body()).contains("too large").contains(">too big</textarea>");   // the text is kept
        assertThat(refusedByDeclaredLength("container=" + "A".repeat(2_200_000))).isTrue();
        assertThat(chunked("application/x-www-form-urlencoded", "container=" + "A".repeat(2_200_000))).isEqualTo(413);
        assertThat(chunked("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"attachment\"; "
            + "filename=\"x.bin\"\r\n\r\n" + "A".repeat(2_200_000) + "\r\n--b--\r\n")).isEqualTo(413);
    }

    /**
     * A Content-Length over the limit is refused from the header: the portal answers 413 and closes without reading
     * the body, so a client still sending may see the connection reset before it reads the 413. Either is a refusal.
     */
    private boolean refusedByDeclaredLength(String body) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(portal.trust()).build();
        try {
            return client.send(java.net.http.HttpRequest.newBuilder(portal.base().resolve("/open"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 413;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** A body without Content-Length (chunked): the limit must hold while reading, not only from the header. */
    private int chunked(String contentType, String body) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(portal.trust()).build();
        return client.send(java.net.http.HttpRequest.newBuilder(portal.base().resolve("/open")).header("Content-Type", contentType)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)))).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void selfServiceResetShouldNeedTheSecurityAnswer() throws Exception {
        String carol = "carol10@partner.example";
        String first = portal.newAccount(carol);
        GinaContainer container = portal.seal(TestMime.standard(carol), carol);
        browser.post("/open", Map.of("container", container.toBase64Url()));
        browser.submit("/register", Map.of("first-password", first, "password", "carol's own password",
            "password2", "carol's own password", "question", "First pet?", "answer", "Rex"));
        browser.submit("/logout", Map.of());
        PortalClient fresh = new PortalClient(portal.trust(), portal.base());
        fresh.post("/open", Map.of("container", container.toBase64Url()));

        PortalClient.Page question = fresh.submit("/forgot", Map.of());
        PortalClient.Page wrong = fresh.submit("/reset", Map.of("answer", "Felix", "password", "brand new password", "password2", "brand new password"));
        PortalClient.Page right = fresh.submit("/reset", Map.of("answer", "rex", "password", "brand new password", "password2", "brand new password"));
        PortalClient.Page login = fresh.submit("/login", Map.of("password", "brand new password"));

        assertThat(question.body()).contains("First pet?");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(right.body()).contains("Your password was changed");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("Quarterly figures");
    }

    @Test
    void adminResetFromTheCliShouldRefuseAnAddressWithoutAccountAndCreateNone() throws Exception {
        String nobody = "nobody12@partner.example";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> GinaMain.run(
            List.of("reset-password", nobody, "--data", portal.dir.toString()), new java.io.PrintStream(out, true, StandardCharsets.UTF_8)));

        assertThat(refused).hasMessage("no GINA account for " + nobody + ": accounts are created when a first secure"
            + " mail is sent to the address; check the spelling (nothing was changed)");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(portal.context.accounts().find(nobody)).isEmpty();
    }

    @Test
    void adminResetFromTheCliShouldIssueANewFirstPassword() throws Exception {
        String carol = "carol11@partner.example";
        loggedIn(carol);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        int status = GinaMain.run(List.of("reset-password", carol, "--data", portal.dir.toString()),
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        String newFirst = out.toString(StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElseThrow().strip();

        assertThat(status).isZero();
        assertThat(browser.submit("/message", Map.of()).status()).isEqualTo(401);   // sessions ended
        PortalClient fresh = new PortalClient(portal.trust(), portal.base());
        PortalClient.Page register = fresh.post("/open", Map.of("container", portal.seal(TestMime.standard(carol), carol).toBase64Url()));
        assertThat(register.body()).contains("Register to read");
        assertThat(fresh.submit("/register", Map.of("first-password", newFirst, "password", "after the reset",
            "password2", "after the reset")).status()).isEqualTo(200);
        assertThat(portal.audit()).contains("\"by\":\"admin\"");
    }

    @Test
    void healthzAndRedirectShouldWork() throws Exception {
        assertThat(browser.get("/healthz").body()).isEqualTo("ok\n");
        java.net.http.HttpResponse<String> redirect = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + GinaPortal.httpPort(portal.server) + "/healthz")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isBetween(301, 308);
        assertThat(redirect.headers().firstValue("Location").orElseThrow())
            .isEqualTo("https://127.0.0.1:" + GinaPortal.httpsPort(portal.server) + "/healthz");
    }

    @Test
    void tlsShouldRefuseCbcSuitesAndNegotiateModernProtocols() throws Exception {
        javax.net.ssl.SSLSocketFactory factory = portal.trust().getSocketFactory();
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) factory.createSocket("127.0.0.1", GinaPortal.httpsPort(portal.server))) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(socket.getSession().getCipherSuite()).isIn((Object[]) GinaPortal.CIPHER_SUITES);
        }
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) factory.createSocket("127.0.0.1", GinaPortal.httpsPort(portal.server))) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"});
            org.assertj.core.api.Assertions.assertThatThrownBy(socket::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
        }
    }

    private PortalClient.Page loggedIn(String address) throws Exception {
        String first = portal.newAccount(address);
        GinaContainer container = portal.seal(TestMime.standard(address), address);
        browser.post("/open", Map.of("container", container.toBase64Url()));
        PortalClient.Page page = browser.submit("/register", Map.of("first-password", first,
            "password", "carol's own password", "password2", "carol's own password"));
        assertThat(page.status()).isEqualTo(200);
        return page;
    }
}
