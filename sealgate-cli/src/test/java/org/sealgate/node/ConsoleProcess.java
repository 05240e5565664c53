package org.sealgate.node;

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
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.testing.FreePorts;
import org.sealgate.testing.Prerequisites;
import org.sealgate.zk.console.AdminAccounts;
import org.sealgate.zk.console.Totp;
import org.sealgate.zk.store.DigestCredentials;

/**
 * The real admin console (org.sealgate.console.ConsoleMain, admin-console's packaged jar and lib, its own JVM as
 * in production: its Jetty 12 cannot share a JVM with James) on a test cluster, with one console admin; an HTTPS
 * client that logs in with password and TOTP and keeps the session cookie; a browser logs in with {@link #code}.
 */
final class ConsoleProcess implements AutoCloseable {
    static final String ADMIN = "ops";
    static final String PASSWORD = "console test password 1";
    private static final Path CONSOLE_TARGET = Path.of("..", "admin-console", "target").toAbsolutePath().normalize();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final Process process;
    private final Path dir;
    private final int port;
    private final byte[] totp;
    private HttpClient http;
    private String session = "";

    private ConsoleProcess(Process process, Path dir, int port, byte[] totp) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.totp = totp;
    }

    static ConsoleProcess start(Path dir, String zkConnect, Path adminCredentials, CuratorFramework admin, Path auditDir)
        throws Exception {
        String classpath = classpath();
        Files.createDirectories(dir);
        int port = FreePorts.next();
        Files.writeString(dir.resolve("console.properties"), """
            https.host=127.0.0.1
            https.port=%d
            tls.demo-certificate=true
            zk.connect=%s
            zk.credentials=%s
            totp.keys=console.keys
            audit.search-dir=%s
            argon2.memory-kib=8192
            argon2.iterations=1
            """.formatted(port, zkConnect, adminCredentials.toAbsolutePath(), auditDir.toAbsolutePath()), StandardCharsets.UTF_8);
        KeyRing keys = KeyRing.loadOrCreate(dir.resolve("console.keys"), "t1");
        AdminAccounts accounts = new AdminAccounts(admin, DigestCredentials.fromFile(adminCredentials).identity(),
            new PasswordHasher(8192, 1, 1), keys, Clock.systemUTC());
        byte[] totp = Totp.fromBase32(accounts.create(ADMIN, PASSWORD).secretBase32());
        Path log = dir.resolve("console.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-cp", classpath, "org.sealgate.console.ConsoleMain", "--data", dir.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ConsoleProcess console = new ConsoleProcess(process, dir, port, totp);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("console exited: " + Files.readString(log));
                }
                return Files.readString(log).contains("Admin console on https://");
            });
            console.http = HttpClient.newBuilder().sslContext(trusting(dir.resolve("tls")))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
            return console;
        } catch (Exception | Error e) {
            console.close();
            throw e;
        }
    }

    /** Logs in with the password and the current TOTP code; the session cookie is kept for later requests. */
    void login() throws Exception {
        HttpResponse<String> form = http.send(request("/login").build(), HttpResponse.BodyHandlers.ofString());
        String pre = form.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        String code = Totp.code(totp, Totp.step(Instant.now()));
        HttpResponse<String> loggedIn = http.send(request("/login").header("Cookie", pre)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(Map.of("csrf", csrf(form.body()), "name", ADMIN,
                "password", PASSWORD, "code", code)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(loggedIn.statusCode()).as(loggedIn.body()).isEqualTo(303);
        session = loggedIn.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("__Host-sealgate-console="))
            .findFirst().orElseThrow().split(";")[0];
    }

    /** The console's address, for a browser. */
    String base() {
        return "https://127.0.0.1:" + port;
    }

    /**
     * The admin's TOTP code {@code stepsAhead} steps from now (the console accepts one step either side, each step
     * once: a second login soon after another takes the next step's code).
     */
    String code(int stepsAhead) {
        return Totp.code(totp, Totp.step(Instant.now()) + stepsAhead);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(withSession(request(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        return post(path, form, true);
    }

    /** A POST with or without the session cookie (an attacker's page has none). */
    HttpResponse<String> post(String path, Map<String, String> form, boolean withSession) throws Exception {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        return http.send((withSession ? withSession(request) : request).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF field in %s", html).isTrue();
        return m.group(1);
    }

    String audit() throws Exception {
        Path file = dir.resolve("audit").resolve("console-audit.jsonl");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private HttpRequest.Builder withSession(HttpRequest.Builder request) {
        return session.isEmpty() ? request : request.header("Cookie", session);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static String classpath() throws Exception {
        Path lib = CONSOLE_TARGET.resolve("lib");
        Path jar;
        try (Stream<Path> files = Files.exists(CONSOLE_TARGET) ? Files.list(CONSOLE_TARGET) : Stream.empty()) {
            jar = files.filter(p -> p.getFileName().toString().matches("admin-console-.*\\.jar")
                && !p.getFileName().toString().endsWith("-tests.jar")).findFirst().orElse(null);
        }
        Prerequisites.require(jar != null && Files.isDirectory(lib), "admin-console is not packaged in " + CONSOLE_TARGET
            + " (mvn -pl admin-console -am package -DskipTests)");
        return jar + File.pathSeparator + lib + "/*";
    }

    /** Trusts exactly the console's self-signed certificate. */
    private static SSLContext trusting(Path tls) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.resolve("console.p12"))) {
            store.load(in, Files.readString(tls.resolve("console.p12.password")).strip().toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("console", store.getCertificate(store.aliases().nextElement()));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        return ssl;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
