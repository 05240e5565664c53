package org.sealgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/**
 * The demo's GINA portal: a child JVM ({@code org.sealgate.gina.portal.GinaMain}, classpath from the system
 * property {@value #CLASSPATH_PROPERTY}, set by {@code ./sealgate}) on https://127.0.0.1:8443 with a demo
 * certificate, using the demo's embedded ZooKeeper as the {@code gina} digest identity. Its data directory
 * {@code DATA/gina} holds gina.properties, the GINA and session key rings (owner-only) and the audit trail.
 * Stopped (and waited for) when the demo stops.
 */
final class DemoPortal implements AutoCloseable {
    static final String CLASSPATH_PROPERTY = "sealgate.gina.classpath";
    static final String DIRECTORY = "gina";
    static final String CREDENTIALS_FILE = "secrets/zk-gina.credentials";
    static final int DEFAULT_PORT = 8443;

    private final DemoChildJvm jvm;

    private DemoPortal(DemoChildJvm jvm) {
        this.jvm = jvm;
    }

    int port() {
        return jvm.port();
    }

    /** Prepares DATA/gina and ZooKeeper, starts the portal; empty (with a message) if no portal classpath is known. */
    static Optional<DemoPortal> start(Path data, String zkConnect, DigestCredentials admin, int gatewaySmtpPort) throws Exception {
        String classpath = System.getProperty(CLASSPATH_PROPERTY, "");
        if (classpath.isBlank()) {
            System.out.println("GINA portal not started: no -D" + CLASSPATH_PROPERTY + " (run the demo through ./sealgate demo)");
            return Optional.empty();
        }
        DigestCredentials gina = CredentialFiles.readOrCreate(data.resolve(CREDENTIALS_FILE), "gina");
        Path dir = Files.createDirectories(data.resolve(DIRECTORY));
        KeyRing.loadOrCreate(dir.resolve("gina.keys"), "demo-1");
        KeyRing.loadOrCreate(dir.resolve("session.keys"), "demo-1");
        int port = DemoChildJvm.preferredOrFree(DEFAULT_PORT, "the demo's GINA portal");
        // The portal's own TLS identity to ZooKeeper (paths relative to DATA/gina).
        String[] portalTls = DemoTls.settings(data, dir, DemoTls.PORTAL);
        Files.writeString(dir.resolve("gina.properties"), """
            # The demo's GINA portal (rewritten at every demo start). See gina-jetty/README.md for every key.
            https.host=127.0.0.1
            https.port=%1$d
            http.port=-1
            tls.demo-certificate=true
            public.url=https://127.0.0.1:%1$d
            zk.connect=%2$s
            zk.credentials=../%3$s
            zk.tls.keystore=%5$s
            zk.tls.keystore.password-file=%6$s
            zk.tls.truststore=%7$s
            zk.tls.hostname-verification=true
            gina.keys=gina.keys
            session.keys=session.keys
            smtp.gateway=127.0.0.1:%4$d
            node.id=demo
            """.formatted(port, zkConnect, CREDENTIALS_FILE, gatewaySmtpPort, portalTls[1], portalTls[3], portalTls[5]),
            StandardCharsets.UTF_8);
        prepareZooKeeper(data, zkConnect, admin, gina);
        return Optional.of(new DemoPortal(DemoChildJvm.start("the demo's GINA portal", classpath, "384m",
            "org.sealgate.gina.portal.GinaMain", dir, dir.resolve("portal.log"), port)));
    }

    /** /gina/accounts readable and writable by the gina identity (and the admin), nobody else. */
    private static void prepareZooKeeper(Path data, String connect, DigestCredentials admin, DigestCredentials gina) throws Exception {
        ClusterBootstrap.prepareGina(connect, admin, gina, Optional.of(DemoTls.admin(data)));
    }

    @Override
    public void close() {
        jvm.close();
    }
}
