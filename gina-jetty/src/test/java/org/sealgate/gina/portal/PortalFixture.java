package org.sealgate.gina.portal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.curator.framework.CuratorFramework;
import org.eclipse.jetty.server.Server;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.container.SecureMessagePage;
import org.sealgate.gina.key.KeyRing;

/**
 * One portal as production runs it: {@code gina.properties} in a data directory, key ring files, the GINA
 * ZooKeeper identity, a demo certificate, real HTTPS on free loopback ports, replies to an SMTP port.
 */
final class PortalFixture implements AutoCloseable {
    static final String CAROL = "carol@partner.example";
    static final String ALICE = "alice@sealgate.test";

    final Path dir;
    final PortalSettings settings;
    final PortalContext context;
    final Server server;
    private final CuratorFramework zooKeeper;
    private final SharedSettings shared;

    private PortalFixture(Path dir, PortalSettings settings, PortalContext context, Server server, CuratorFramework zooKeeper,
                          SharedSettings shared) {
        this.dir = dir;
        this.settings = settings;
        this.context = context;
        this.server = server;
        this.zooKeeper = zooKeeper;
        this.shared = shared;
    }

    /** Writes the data directory (keys are shared between portals by passing the same rings) and starts. */
    static PortalFixture start(Path dir, String zkConnect, int smtpPort, KeyRing ginaKeys, KeyRing sessionKeys,
                               String extraProperties) throws Exception {
        return start(dir, zkConnect, smtpPort, ginaKeys, sessionKeys, extraProperties, false);
    }

    /** As above; {@code clusterSettings}: the shared settings from {@code /gina-settings}, as {@code sealgate gina} runs. */
    static PortalFixture start(Path dir, String zkConnect, int smtpPort, KeyRing ginaKeys, KeyRing sessionKeys,
                               String extraProperties, boolean clusterSettings) throws Exception {
        Files.createDirectories(dir.resolve("secrets"));
        ginaKeys.save(dir.resolve("gina.keys"));
        sessionKeys.save(dir.resolve("session.keys"));
        Files.writeString(dir.resolve("secrets/gina.credentials"), "gina:gina-test-secret\n");
        Files.writeString(dir.resolve(PortalSettings.FILE_NAME), """
            https.host=127.0.0.1
            https.port=0
            http.port=0
            public.url=https://127.0.0.1:0
            zk.connect=%s
            smtp.gateway=127.0.0.1:%d
            argon2.memory-kib=8192
            argon2.iterations=1
            node.id=%s
            %s
            """.formatted(zkConnect, smtpPort, dir.getFileName(), extraProperties), StandardCharsets.UTF_8);
        PortalSettings settings = PortalSettings.load(dir);
        CuratorFramework zooKeeper = GinaMain.zooKeeper(settings);
        PortalTls.Material tls = PortalTls.loadOrCreateDemo(settings.keystore(), settings.keystorePasswordFile(), "127.0.0.1");
        SharedSettings shared = clusterSettings ? SharedSettings.watching(zooKeeper, settings) : SharedSettings.fixed(settings);
        shared.start();
        PortalContext context = GinaPortal.context(settings, zooKeeper, Clock.systemUTC(), shared);
        Server server = GinaPortal.create(settings, context, tls);
        server.start();
        return new PortalFixture(dir, settings, context, server, zooKeeper, shared);
    }

    URI base() {
        return URI.create("https://127.0.0.1:" + GinaPortal.httpsPort(server));
    }

    /** A recipient account awaiting registration; returns the first password. */
    String newAccount(String address) throws Exception {
        return context.accounts().ensureAccount(address).firstPassword().orElseThrow();
    }

    GinaContainer seal(byte[] mime, String recipient) {
        return new ContainerCrypto().seal(mime, recipient, "<test-" + System.nanoTime() + "@sealgate.test>", context.ginaKeys());
    }

    String page(GinaContainer container) {
        return SecureMessagePage.render(container, base(), "Secure message", "You received a secure message.");
    }

    /** Trusts exactly this portal's (demo) certificate. */
    SSLContext trust() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        KeyStore keys = PortalTls.loadOrCreateDemo(settings.keystore(), settings.keystorePasswordFile(), "127.0.0.1").keyStore();
        trust.setCertificateEntry("portal", keys.getCertificate(PortalTls.ALIAS));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        return ssl;
    }

    String audit() throws IOException {
        return Files.exists(settings.auditFile()) ? Files.readString(settings.auditFile()) : "";
    }

    @Override
    public void close() throws Exception {
        server.stop();
        shared.close();
        zooKeeper.close();
    }
}
