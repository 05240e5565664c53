package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.Prerequisites;
import org.sealgate.zk.console.Totp;

/**
 * {@code sealgate demo --console-port N} starts the admin console in its own JVM (the packaged admin-console
 * module, as {@code ./sealgate demo} runs it), announces it, and leaves the demo admin's login owner-only in
 * {@code DATA/demo/console-admin.txt}; with it (password + TOTP code) the console shows the demo node. Stopping
 * the demo stops the console. Skipped when admin-console is not packaged (fails under CI=true).
 */
class DemoConsoleTest {
    private static final Path CONSOLE_TARGET = Path.of("..", "admin-console", "target").toAbsolutePath().normalize();
    private static final Pattern ANNOUNCED = Pattern.compile("Admin console: https://127.0.0.1:(\\d+)");
    @TempDir
    Path work;

    @Test
    void theDemoShouldStartTheConsoleWithAnOwnerOnlyDemoAdminWhoCanLogIn() throws Exception {
        String consoleClasspath = consoleClasspath();
        Path data = work.resolve("demo");
        Path log = work.resolve("demo.log");
        int consolePort = org.sealgate.testing.FreePorts.next();
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
            "-D" + DemoPortal.CLASSPATH_PROPERTY + "=" + DemoWithPortal.ginaClasspath(),
            "-D" + DemoConsole.CLASSPATH_PROPERTY + "=" + consoleClasspath,
            "-cp", System.getProperty("java.class.path"), SealgateCli.class.getName(), "demo", "--data", data.toString(),
            "--smtp-port", Integer.toString(org.sealgate.testing.FreePorts.next()), "--console-port", Integer.toString(consolePort))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Matcher announced = Awaitility.await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    if (!demo.isAlive()) {
                        throw new AssertionError("demo exited: " + Files.readString(log));
                    }
                    return ANNOUNCED.matcher(Files.readString(log));
                }, Matcher::find);
            assertThat(Integer.parseInt(announced.group(1))).isEqualTo(consolePort);

            Path adminFile = data.resolve(DemoConsole.ADMIN_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(adminFile))).isEqualTo("rw-------");
            Properties login = new Properties();
            try (InputStream in = Files.newInputStream(adminFile)) {
                login.load(in);
            }
            assertThat(Files.readString(log)).doesNotContain(login.getProperty("password"), login.getProperty("totp-secret"));

            HttpClient http = HttpClient.newBuilder().sslContext(trusting(data.resolve("console/tls")))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
            String base = "https://127.0.0.1:" + consolePort;
            HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
            String pre = form.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
            Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
            assertThat(csrf.find()).isTrue();
            String code = Totp.code(Totp.fromBase32(login.getProperty("totp-secret")), Totp.step(Instant.now()));
            String body = "csrf=" + csrf.group(1) + "&name=" + login.getProperty("name") + "&password="
                + URLEncoder.encode(login.getProperty("password"), StandardCharsets.UTF_8) + "&code=" + code;
            HttpResponse<String> loggedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Cookie", pre)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(loggedIn.statusCode()).isEqualTo(303);
            String session = loggedIn.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("__Host-sealgate-console="))
                .findFirst().orElseThrow().split(";")[0];
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                http.send(HttpRequest.newBuilder(URI.create(base + "/")).header("Cookie", session).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("class=\"node-id\""));

            demo.destroy();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(DemoWithPortal.listening(consolePort)).isFalse();
        } finally {
            demo.destroyForcibly();
        }
    }

    private static String consoleClasspath() throws Exception {
        Path lib = CONSOLE_TARGET.resolve("lib");
        Path jar;
        try (Stream<Path> files = Files.exists(CONSOLE_TARGET) ? Files.list(CONSOLE_TARGET) : Stream.empty()) {
            jar = files.filter(p -> p.getFileName().toString().matches("admin-console-.*\\.jar")
                && !p.getFileName().toString().endsWith("-tests.jar")).findFirst().orElse(null);
        }
        Prerequisites.require(jar != null && Files.isDirectory(lib), "admin-console is not packaged in " + CONSOLE_TARGET);
        return jar + File.pathSeparator + lib + "/*";
    }

    /** Trusts exactly the console's demo certificate. */
    private static SSLContext trusting(Path tls) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.resolve("console.p12"))) {
            store.load(in, Files.readString(tls.resolve("console.p12.password")).strip().toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("console", store.getCertificate("gina"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        return ssl;
    }
}
