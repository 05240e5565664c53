package org.sealgate.console;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Id;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.gina.portal.GinaPortal;
import org.sealgate.gina.portal.PortalTls;
import org.sealgate.gina.throttle.Throttle;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.zk.console.AdminAccounts;

/**
 * Builds the console: {@link #create} is the one factory for the Jetty server (HTTPS only, the portal's TLS 1.2/1.3
 * AEAD suites, HSTS), {@link #context} wires the services. No plain HTTP connector at all.
 */
public final class ConsoleServer {
    private static final long HSTS_SECONDS = 365L * 24 * 3600;
    /** After five failures, waits from 30 s doubling up to 15 min, per (admin name, client address) and per client address. */
    static final LockoutPolicy LOGIN_THROTTLE = new LockoutPolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(15), Integer.MAX_VALUE);

    private ConsoleServer() {
    }

    /** The console server, not started; port 0 picks a free port (read it back with {@link #port}). */
    public static Server create(String host, int port, ConsoleContext context, PortalTls.Material tls) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("admin-console");
        Server server = new Server(threads);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(tls.password());
        ssl.setCertAlias(PortalTls.ALIAS);
        ssl.setIncludeProtocols(GinaPortal.PROTOCOLS.clone());
        ssl.setIncludeCipherSuites(GinaPortal.CIPHER_SUITES.clone());
        ssl.setRenegotiationAllowed(false);
        HttpConfiguration https = new HttpConfiguration();
        https.setSendServerVersion(false);
        https.setSendXPoweredBy(false);
        https.addCustomizer(new SecureRequestCustomizer(false, false, HSTS_SECONDS, true));
        ServerConnector connector = new ServerConnector(server,
            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        connector.setName("https");
        server.addConnector(connector);
        server.setHandler(new ConsoleHandler(context));
        server.setStopTimeout(5_000);
        return server;
    }

    public static Server create(ConsoleSettings settings, ConsoleContext context, PortalTls.Material tls) throws IOException {
        return create(settings.httpsHost(), settings.httpsPort(), context, tls);
    }

    /**
     * The services from the settings and a started Curator client authenticated as {@code admin} (the ZooKeeper
     * admin identity: the console writes configuration and reads the admin accounts only it may read).
     */
    public static ConsoleContext context(ConsoleSettings settings, CuratorFramework zooKeeper, Id admin, HeldMail heldMail,
                                         KeyDirectory keys, PgpKeyDirectory pgpKeys, Clock clock) throws IOException {
        if (!Files.isRegularFile(settings.totpKeys())) {
            throw new IOException("no console key ring " + settings.totpKeys() + " (totp.keys): it seals the admins' TOTP"
                + " secrets; 'sealgate console add-admin' creates it, and every console of the cluster needs the same file");
        }
        // Each Argon2id check holds its memory a while: at most two at once, so a login flood cannot exhaust the heap.
        PasswordHasher hasher = new PasswordHasher(settings.argon2MemoryKib(), settings.argon2Iterations(), 1)
            .limited(2, Duration.ofSeconds(2));
        AdminAccounts accounts = new AdminAccounts(zooKeeper, admin, hasher, KeyRing.load(settings.totpKeys()), clock);
        return new ConsoleContext(zooKeeper, accounts, new ConsoleSessions(settings.sessionIdle(), settings.sessionMax(), clock),
            Throttle.inMemory(LOGIN_THROTTLE, clock), new ConsoleAudit(settings.auditFile(), clock),
            new AuditSearch(settings.auditSearchDirectory()), heldMail, keys, pgpKeys, new LiveCounters(settings.metricsUrl()), clock);
    }

    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
