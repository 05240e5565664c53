package org.sealgate.gina.portal;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.SecuredRedirectHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.gina.session.SessionTokens;
import org.sealgate.gina.throttle.GinaLimits;

/**
 * Builds the GINA portal: {@link #create} is the one factory for the Jetty server, {@link #context} wires the
 * services from the settings. HTTPS only (TLS 1.2 and 1.3, AEAD cipher suites with forward secrecy, HSTS for a
 * year); the optional plain HTTP connector only redirects to HTTPS.
 */
public final class GinaPortal {
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    public static final String[] CIPHER_SUITES = {
        "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};
    private static final long HSTS_SECONDS = 365L * 24 * 3600;

    private GinaPortal() {
    }

    /** The portal server, not started. Ports 0 pick free ports (tests); read them back with {@link #httpsPort}. */
    public static Server create(PortalSettings settings, PortalContext context, PortalTls.Material tls) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("gina-portal");
        Server server = new Server(threads);

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(tls.password());
        ssl.setCertAlias(PortalTls.ALIAS);
        ssl.setIncludeProtocols(PROTOCOLS);
        ssl.setIncludeCipherSuites(CIPHER_SUITES);
        ssl.setRenegotiationAllowed(false);

        HttpConfiguration https = new HttpConfiguration();
        https.setSendServerVersion(false);
        https.setSendXPoweredBy(false);
        // SNI is not required and not checked: clients reaching the VIP by address send no SNI.
        https.addCustomizer(new SecureRequestCustomizer(false, false, HSTS_SECONDS, true));
        ServerConnector httpsConnector = new ServerConnector(server,
            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
        httpsConnector.setHost(settings.httpsHost());
        httpsConnector.setPort(settings.httpsPort());
        httpsConnector.setName("https");
        List<Connector> connectors = new ArrayList<>(List.of(httpsConnector));

        HttpConfiguration plain = new HttpConfiguration();
        plain.setSendServerVersion(false);
        plain.setSecureScheme("https");
        plain.setSecurePort(settings.httpsPort());
        settings.redirectPort().ifPresent(port -> {
            ServerConnector http = new ServerConnector(server, new HttpConnectionFactory(plain));
            http.setHost(settings.httpsHost());
            http.setPort(port);
            http.setName("http-redirect");
            connectors.add(http);
        });
        server.setConnectors(connectors.toArray(Connector[]::new));
        // Requests on the HTTPS connector are secure and pass; anything on HTTP is redirected to HTTPS.
        server.setHandler(new SecuredRedirectHandler(new PortalHandler(context)));
        if (settings.httpsPort() == 0) {
            server.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarted(LifeCycle event) {
                    plain.setSecurePort(httpsConnector.getLocalPort());
                }
            });
        }
        server.setStopTimeout(5_000);
        return server;
    }

    /**
     * The services the flows use, from the settings and a started Curator client with the GINA identity; the shared
     * settings are {@code gina.properties}' only (see the overload for the cluster document's).
     */
    public static PortalContext context(PortalSettings settings, CuratorFramework zooKeeper, Clock clock) throws IOException {
        return context(settings, zooKeeper, clock, SharedSettings.fixed(settings));
    }

    /** As above, with the shared settings read from {@code shared} (the caller starts and closes it). */
    public static PortalContext context(PortalSettings settings, CuratorFramework zooKeeper, Clock clock,
                                       SharedSettings shared) throws IOException {
        KeyRing ginaKeys = KeyRing.load(settings.ginaKeys());
        KeyRing sessionKeys = KeyRing.load(settings.sessionKeys());
        // Each Argon2id check holds its memory for a while: bounded, so a flood of logins cannot exhaust the heap.
        PasswordHasher hasher = new PasswordHasher(settings.argon2MemoryKib(), settings.argon2Iterations(), 1)
            .limited(settings.argon2MaxConcurrent(), settings.argon2MaxWait());
        GinaAccounts accounts = new GinaAccounts(AccountStores.zooKeeper(zooKeeper, AccountStores.creatorOnly()), hasher,
            GinaLimits.zooKeeper(zooKeeper, AccountStores.creatorOnly(), LockoutPolicy.DEFAULT, clock),
            () -> shared.current().firstPasswordLifetime(), clock);
        return new PortalContext(accounts, ginaKeys,
            new SessionTokens(sessionKeys, () -> shared.current().session(), clock),
            new ContainerCrypto(clock), new AuditLog(settings.auditFile(), settings.nodeId(), clock,
                settings.auditMaxBytes(), settings.auditFiles()),
            new ReplySender(settings.smtpHost(), settings.smtpPort()), shared,
            settings.maxUploadBytes() + settings.maxReplyAttachmentBytes(), settings.maxReplyAttachmentBytes(),
            () -> zooKeeper.getZookeeperClient().isConnected(), settings.maxUploadBytes());
    }

    public static int httpsPort(Server server) {
        return port(server, "https");
    }

    public static int httpPort(Server server) {
        return port(server, "http-redirect");
    }

    private static int port(Server server, String name) {
        for (Connector connector : server.getConnectors()) {
            if (name.equals(connector.getName())) {
                return ((ServerConnector) connector).getLocalPort();
            }
        }
        throw new IllegalStateException("no connector " + name);
    }
}
