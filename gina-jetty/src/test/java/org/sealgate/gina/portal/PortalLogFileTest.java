package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.key.KeyRing;

/**
 * The portal JVM as {@code ./sealgate gina --data DATA} runs it logs one line per request that matters to
 * {@code DATA/gina/logs/portal.log} and to its console (the journal under systemd): no password, session value or
 * message text, and no stack trace for what scanners and mistyping visitors cause.
 */
class PortalLogFileTest {
    private static final String CAROL = "carol@partner.example";
    private static final String OWN_PASSWORD = "carol's own password 7";
    private static final String WRONG_PASSWORD = "wrong guess 42";
    @TempDir
    Path dir;

    @Test
    void portalShouldLogOneLinePerRequestToItsRotatingFileWithoutSecretsOrStackTraces() throws Exception {
        try (TestingServer zooKeeper = new TestingServer(true)) {
            KeyRing ginaKeys = KeyRing.generate("g1");
            Path data = dir.resolve("node");
            Path portalDirectory = data.resolve("gina");
            PortalProcess.writePortalDirectory(portalDirectory, zooKeeper.getConnectString(), "node-1", ginaKeys,
                KeyRing.generate("s1"));
            String first;
            try (CuratorFramework client = GinaMain.zooKeeper(PortalSettings.load(portalDirectory))) {
                first = new GinaAccounts(AccountStores.zooKeeper(client, AccountStores.creatorOnly()),
                    new PasswordHasher(8192, 1, 1), LockoutPolicy.DEFAULT, Clock.systemUTC())
                    .ensureAccount(CAROL).firstPassword().orElseThrow();
            }
            GinaContainer container = new ContainerCrypto().seal(TestMime.standard(CAROL), CAROL, "<log-1@sealgate.test>", ginaKeys);
            List<String> secrets = new ArrayList<>(List.of(first, OWN_PASSWORD, WRONG_PASSWORD, "Quarterly figures", "are attached"));
            Path logFile = portalDirectory.resolve("logs/portal.log");

            try (PortalProcess portal = PortalProcess.start(data, portalDirectory, dir.resolve("console.out"))) {
                PortalClient browser = new PortalClient(portal.trust(), portal.base);
                browser.post("/open", Map.of("container", container.toBase64Url()));
                assertThat(browser.submit("/register", Map.of("first-password", first, "password", OWN_PASSWORD,
                    "password2", OWN_PASSWORD)).status()).isEqualTo(200);
                secrets.addAll(browser.cookies.values());
                assertThat(browser.submit("/logout", Map.of()).status()).isEqualTo(200);

                PortalClient visitor = new PortalClient(portal.trust(), portal.base);
                visitor.post("/open", Map.of("container", container.toBase64Url()));
                assertThat(visitor.submit("/login", Map.of("password", WRONG_PASSWORD)).status()).isEqualTo(401);
                assertThat(visitor.submit("/login", Map.of("password", OWN_PASSWORD)).status()).isEqualTo(200);
                assertThat(visitor.submit("/message", Map.of()).body()).contains("Quarterly figures");
                secrets.addAll(visitor.cookies.values());
                // An ended session presented again (what an expired or stolen cookie looks like to the portal).
                PortalClient stale = new PortalClient(portal.trust(), portal.base);
                stale.cookies.putAll(browser.cookies);
                stale.cookies.put("__Host-gina-session", "garbled-session-value");
                stale.last = visitor.last;
                assertThat(stale.submit("/message", Map.of()).status()).isEqualTo(401);
                secrets.add("garbled-session-value");
                scannerNoise(portal);

                Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.exists(logFile) && Files.readString(logFile).contains("session-refused"));
            }

            String log = Files.readString(logFile);
            String console = Files.readString(dir.resolve("console.out"));
            assertThat(log).containsPattern("INFO .*requests - register success address=" + CAROL + " message=<log-1@sealgate.test> client=127.0.0.1")
                .containsPattern("requests - login invalid address=" + CAROL + " message=<log-1@sealgate.test> client=127.0.0.1")
                .containsPattern("requests - login success address=" + CAROL)
                .containsPattern("requests - read ok address=" + CAROL)
                .containsPattern("requests - session-refused refused address=- message=- client=127.0.0.1");
            assertThat(console).contains("login invalid address=" + CAROL).contains("read ok address=" + CAROL);
            for (String secret : secrets) {
                assertThat(log).doesNotContainIgnoringCase(secret);
                assertThat(console).doesNotContainIgnoringCase(secret);
            }
            // Scanners, bad requests and wrong passwords are expected: no stack traces, in the file or on the console.
            assertThat(log).doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(console).doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(log.lines().filter(l -> l.contains(" ERROR "))).isEmpty();
        }
    }

    /** What scanners send: plain HTTP and junk to the HTTPS port, a malformed HTTPS request, a weak cipher suite. */
    private static void scannerNoise(PortalProcess portal) throws Exception {
        int port = portal.base.getPort();
        for (String junk : List.of("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "\u0016\u0003\u0001\u0000\u0005hello")) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(junk.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                drain(socket.getInputStream());
            }
        }
        try (SSLSocket tls = (SSLSocket) portal.trust().getSocketFactory().createSocket("127.0.0.1", port)) {
            tls.setSoTimeout(5_000);
            tls.setEnabledProtocols(new String[] {"TLSv1.3"});
            OutputStream out = tls.getOutputStream();
            out.write("GET /%%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = new String(tls.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400");
        }
        // A client offering only a suite the portal refuses (no forward secrecy): the handshake fails.
        try (SSLSocket weak = (SSLSocket) portal.trust().getSocketFactory().createSocket("127.0.0.1", port)) {
            weak.setSoTimeout(5_000);
            weak.setEnabledProtocols(new String[] {"TLSv1.2"});
            weak.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256"});
            assertThatThrownBy(weak::startHandshake).isInstanceOf(java.io.IOException.class);
        }
    }

    private static void drain(InputStream in) {
        try {
            in.readNBytes(4096);
        } catch (java.io.IOException closed) {
            // the portal hung up: what it should do with junk
        }
    }
}
