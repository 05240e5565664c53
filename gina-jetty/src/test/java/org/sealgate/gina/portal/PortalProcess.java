package org.sealgate.gina.portal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.awaitility.Awaitility;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.testing.FreePorts;

/**
 * A portal in its own JVM as {@code ./sealgate gina --data DATA} runs it ({@link GinaMain}), its output captured
 * in a file; {@link #close} stops it with SIGTERM (as systemd does) and waits.
 */
final class PortalProcess implements AutoCloseable {
    final Process process;
    final Path portalDirectory;
    final Path output;
    final URI base;

    private PortalProcess(Process process, Path portalDirectory, Path output, URI base) {
        this.process = process;
        this.portalDirectory = portalDirectory;
        this.output = output;
        this.base = base;
    }

    /** Writes {@code directory/gina.properties} and the key rings for a portal on a free loopback port. */
    static void writePortalDirectory(Path directory, String zkConnect, String nodeId, KeyRing ginaKeys, KeyRing sessionKeys)
            throws Exception {
        Files.createDirectories(directory.resolve("secrets"));
        ginaKeys.save(directory.resolve("gina.keys"));
        sessionKeys.save(directory.resolve("session.keys"));
        Files.writeString(directory.resolve("secrets/gina.credentials"), "gina:gina-test-secret\n");
        Files.writeString(directory.resolve(PortalSettings.FILE_NAME), """
            https.host=127.0.0.1
            https.port=%d
            http.port=-1
            zk.connect=%s
            smtp.gateway=127.0.0.1:1
            argon2.memory-kib=8192
            argon2.iterations=1
            node.id=%s
            """.formatted(FreePorts.next(), zkConnect, nodeId), StandardCharsets.UTF_8);
        PortalTls.createDemo(directory.resolve("tls/portal.p12"), directory.resolve("tls/portal.p12.password"), "127.0.0.1");
    }

    /** Starts {@code GinaMain --data data} and waits (at most 60 s) until its /healthz answers 200. */
    static PortalProcess start(Path data, Path portalDirectory, Path output) throws Exception {
        PortalSettings settings = PortalSettings.load(portalDirectory);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            GinaMain.class.getName(), "--data", data.toString())
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        URI base = URI.create("https://127.0.0.1:" + settings.httpsPort());
        PortalProcess portal = new PortalProcess(process, portalDirectory, output, base);
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(portal.trust()).connectTimeout(Duration.ofSeconds(2)).build();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("portal exited: " + Files.readString(output));
                }
                try {
                    return client.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            return portal;
        } catch (RuntimeException | Error e) {
            portal.close();
            throw e;
        }
    }

    /** Trusts this portal's (self-signed demo) certificate. */
    SSLContext trust() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        String password = Files.readString(portalDirectory.resolve("tls/portal.p12.password")).strip();
        try (var in = Files.newInputStream(portalDirectory.resolve("tls/portal.p12"))) {
            keys.load(in, password.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("portal", keys.getCertificate(PortalTls.ALIAS));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
