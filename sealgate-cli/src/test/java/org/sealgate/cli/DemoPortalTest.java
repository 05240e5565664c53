package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.key.KeyRing;

/**
 * {@code sealgate demo} with the GINA portal, as {@code ./sealgate demo} runs it (the portal's classpath from the
 * packaged gina-jetty module): the portal answers on HTTPS, an admin reset gives a first password, a container
 * sealed with the demo's key ring opens after registration, the secure reply goes through the demo gateway's
 * SMTP and arrives for Alice, and stopping the demo stops the portal JVM. Skipped when gina-jetty is not packaged
 * (e.g. {@code -pl sealgate-cli}); {@code mvn verify} of the whole project packages it first.
 */
class DemoPortalTest {
    @TempDir
    Path work;
    private DemoWithPortal demo;

    @AfterEach
    void stopDemo() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void demoShouldRunThePortalAndStopItOnExit() throws Exception {
        String classpath = DemoWithPortal.ginaClasspath();
        demo = DemoWithPortal.start(work, classpath);
        Path gina = demo.gina();
        Client client = new Client(trust(gina), URI.create("https://127.0.0.1:" + demo.portalPort()));
        assertThat(client.get("/healthz")).isEqualTo("ok\n");

        // No account yet: refused, nothing created. The account comes with a first GINA mail (first contact).
        Process refused = new ProcessBuilder(DemoWithPortal.java(), "-cp", classpath, "org.sealgate.gina.portal.GinaMain",
            "reset-password", "carol@partner.example", "--data", gina.getParent().toString()).redirectErrorStream(true).start();
        String refusal = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).as(refusal).isEqualTo(1);
        assertThat(refusal.strip()).isEqualTo("sealgate gina: no GINA account for carol@partner.example: accounts are created"
            + " when a first secure mail is sent to the address; check the spelling (nothing was changed)");
        demo.awaitSmtp();
        Process swaks = new ProcessBuilder("swaks", "--server", "127.0.0.1:" + demo.smtpPort(), "--from", "alice@demo.sealgate.test",
            "--to", "erin@newcomer.example", "--header", "Subject: [secure] first contact", "--body", "hello Erin")
            .redirectErrorStream(true).start();
        String swaksOut = new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(swaks.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(swaks.exitValue()).as(swaksOut).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
            .until(() -> DemoWithPortal.emls(demo.data().resolve("mail/outbound")).stream()
                .anyMatch(file -> read(file).contains("secure-message.html")));

        String first = resetPassword(classpath, gina, "erin@newcomer.example");
        byte[] mime = ("From: alice@demo.sealgate.test\r\nTo: erin@newcomer.example\r\nSubject: GINA in the demo\r\n"
            + "Message-ID: <gina-demo@demo.sealgate.test>\r\n\r\nHello Erin, read me in the portal.\r\n").getBytes(StandardCharsets.US_ASCII);
        GinaContainer container = new ContainerCrypto().seal(mime, "erin@newcomer.example", "<gina-demo@demo.sealgate.test>",
            KeyRing.load(gina.resolve("gina.keys")));
        assertThat(client.post("/open", Map.of("container", container.toBase64Url()))).contains("Register to read");
        String message = client.post("/register", Map.of("container", client.hidden("container"), "csrf", client.hidden("csrf"),
            "first-password", first, "password", "erin's own password", "password2", "erin's own password"));
        assertThat(message).contains("GINA in the demo").contains("Hello Erin, read me in the portal.");
        String sent = client.post("/reply", Map.of("container", client.hidden("container"), "csrf", client.hidden("csrf"),
            "mode", "reply", "body", "Read it, thanks."));
        assertThat(sent).as("reply page; portal audit:%n%s", Files.readString(gina.resolve("audit/gina-audit.jsonl")))
            .contains("Your reply was sent");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
            .until(() -> demo.inbound().stream().anyMatch(text -> text.contains("Subject: Re: GINA in the demo")
                && text.contains("Read it, thanks.")));
        assertThat(Files.readString(gina.resolve("audit/gina-audit.jsonl"))).contains("\"event\":\"reply\"");

        assertThat(demo.stop()).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !DemoWithPortal.listening(demo.portalPort()));
    }

    private String resetPassword(String classpath, Path gina, String address) throws Exception {
        Process cli = new ProcessBuilder(DemoWithPortal.java(), "-cp", classpath, "org.sealgate.gina.portal.GinaMain", "reset-password",
            address, "--data", gina.getParent().toString()).redirectError(work.resolve("reset.err").toFile()).start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue()).as(out).isZero();
        // --data is the demo's DATA, as for every command; and the command is quiet: no ZooKeeper INFO, no classpath.
        assertThat(Files.readString(work.resolve("reset.err"))).isEmpty();
        assertThat(out.lines().count()).as(out).isEqualTo(2);
        return out.lines().reduce((a, b) -> b).orElseThrow().strip();
    }

    private static SSLContext trust(Path gina) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(gina.resolve("tls/portal.p12"))) {
            keys.load(in, Files.readString(gina.resolve("tls/portal.p12.password")).strip().toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("portal", keys.getCertificate("gina"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        return ssl;
    }

    /** Just enough browser: cookies by name, form posts, hidden fields of the last page. */
    private static final class Client {
        private final HttpClient http;
        private final URI base;
        private final Map<String, String> cookies = new LinkedHashMap<>();
        private String last = "";

        Client(SSLContext trust, URI base) {
            this.http = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10)).build();
            this.base = base;
        }

        String get(String path) throws Exception {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET());
        }

        String post(String path, Map<String, String> fields) throws Exception {
            String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        String hidden(String name) {
            Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(last);
            assertThat(m.find()).as("hidden field %s in %s", name, last).isTrue();
            return m.group(1);
        }

        private String send(HttpRequest.Builder request) throws Exception {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                String value = pair.substring(pair.indexOf('=') + 1);
                if (value.isEmpty()) {
                    cookies.remove(pair.substring(0, pair.indexOf('=')));
                } else {
                    cookies.put(pair.substring(0, pair.indexOf('=')), value);
                }
            }
            if (response.body().contains("name=\"csrf\"")) {
                last = response.body();
            }
            return response.body();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
