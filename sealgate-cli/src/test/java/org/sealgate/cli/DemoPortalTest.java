package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.testing.Prerequisites;

/**
 * {@code sealgate demo} with the GINA portal, as {@code ./sealgate demo} runs it (the portal's classpath from the
 * packaged gina-jetty module): the portal answers on HTTPS, an admin reset gives a first password, a container
 * sealed with the demo's key ring opens after registration, the secure reply goes through the demo gateway's
 * SMTP and arrives for Alice, and stopping the demo stops the portal JVM. Skipped when gina-jetty is not packaged
 * (e.g. {@code -pl sealgate-cli}); {@code mvn verify} of the whole project packages it first.
 */
class DemoPortalTest {
    private static final Path GINA_TARGET = Path.of("..", "gina-jetty", "target").toAbsolutePath().normalize();
    @TempDir
    Path work;
    private Process demo;

    @AfterEach
    void stopDemo() throws Exception {
        if (demo != null && demo.isAlive()) {
            demo.destroy();
            demo.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void demoShouldRunThePortalAndStopItOnExit() throws Exception {
        String classpath = ginaClasspath();
        Path data = work.resolve("demo");
        int smtp = freePort();
        demo = new ProcessBuilder(java(), "-Xmx512m", "-Dsealgate.gina.classpath=" + classpath,
            "-cp", System.getProperty("java.class.path"), "org.sealgate.cli.SealgateCli",
            "demo", "--data", data.toString(), "--smtp-port", Integer.toString(smtp))
            .redirectErrorStream(true).redirectOutput(work.resolve("demo.log").toFile()).start();
        Matcher announced = Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(300))
            .until(() -> {
                if (!demo.isAlive()) {
                    throw new AssertionError("demo exited: " + Files.readString(work.resolve("demo.log")));
                }
                return Pattern.compile("GINA portal: https://127.0.0.1:(\\d+)").matcher(Files.readString(work.resolve("demo.log")));
            }, Matcher::find);
        int port = Integer.parseInt(announced.group(1));
        Path gina = data.resolve("gina");
        Client client = new Client(trust(gina), URI.create("https://127.0.0.1:" + port));
        assertThat(client.get("/healthz")).isEqualTo("ok\n");

        String first = resetPassword(classpath, gina, "carol@partner.example");
        byte[] mime = ("From: alice@demo.sealgate.test\r\nTo: carol@partner.example\r\nSubject: GINA in the demo\r\n"
            + "Message-ID: <gina-demo@demo.sealgate.test>\r\n\r\nHello Carol, read me in the portal.\r\n").getBytes(StandardCharsets.US_ASCII);
        GinaContainer container = new ContainerCrypto().seal(mime, "carol@partner.example", "<gina-demo@demo.sealgate.test>",
            KeyRing.load(gina.resolve("gina.keys")));
        assertThat(client.post("/open", Map.of("container", container.toBase64Url()))).contains("Register to read");
        String message = client.post("/register", Map.of("container", client.hidden("container"), "csrf", client.hidden("csrf"),
            "first-password", first, "password", "carol's own password", "password2", "carol's own password"));
        assertThat(message).contains("GINA in the demo").contains("Hello Carol, read me in the portal.");
        // The portal is announced before the node's SMTP server is up: replies need the gateway listening.
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> listening(smtp));
        String sent = client.post("/reply", Map.of("container", client.hidden("container"), "csrf", client.hidden("csrf"),
            "mode", "reply", "body", "Read it, thanks."));
        assertThat(sent).as("reply page; portal audit:%n%s", Files.readString(gina.resolve("audit/gina-audit.jsonl")))
            .contains("Your reply was sent");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
            .until(() -> inbound(data).anyMatch(text -> text.contains("Subject: Re: GINA in the demo")
                && text.contains("Read it, thanks.")));
        assertThat(Files.readString(gina.resolve("audit/gina-audit.jsonl"))).contains("\"event\":\"reply\"");

        demo.destroy();
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !listening(port));
    }

    private static String ginaClasspath() throws IOException {
        Path lib = GINA_TARGET.resolve("lib");
        Path jar;
        try (Stream<Path> files = Files.exists(GINA_TARGET) ? Files.list(GINA_TARGET) : Stream.empty()) {
            jar = files.filter(p -> p.getFileName().toString().matches("gina-jetty-.*\\.jar")
                && !p.getFileName().toString().endsWith("-tests.jar")).findFirst().orElse(null);
        }
        Prerequisites.require(jar != null && Files.isDirectory(lib), "gina-jetty is not packaged in " + GINA_TARGET);
        return jar + java.io.File.pathSeparator + lib + "/*";
    }

    private String resetPassword(String classpath, Path gina, String address) throws Exception {
        Process cli = new ProcessBuilder(java(), "-cp", classpath, "org.sealgate.gina.portal.GinaMain", "reset-password",
            address, "--data", gina.toString()).redirectError(work.resolve("reset.err").toFile()).start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue()).as(out).isZero();
        return out.lines().reduce((a, b) -> b).orElseThrow().strip();
    }

    private static Stream<String> inbound(Path data) throws IOException {
        Path dir = data.resolve("mail/inbound");
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    return "";
                }
            }).toList().stream();
        }
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

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
}
