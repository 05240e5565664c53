package org.sealgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.zk.console.AdminAccounts;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/**
 * The demo's admin web console: a child JVM ({@code org.sealgate.console.ConsoleMain}, classpath from the system
 * property {@value #CLASSPATH_PROPERTY}, set by {@code ./sealgate}) on https://127.0.0.1:9443 (or the given port;
 * a free one if taken) with a demo certificate, as the ZooKeeper admin identity. On first start it creates the demo
 * admin {@value #ADMIN} and writes the password and TOTP secret to {@code DATA/demo/console-admin.txt} (owner-only).
 * Its data directory {@code DATA/console} holds console.properties, the key ring sealing TOTP secrets, the TLS
 * material, the log and the console's audit trail; it searches the node's audit trail in {@code DATA/audit}.
 */
final class DemoConsole implements AutoCloseable {
    static final String CLASSPATH_PROPERTY = "sealgate.console.classpath";
    static final String DIRECTORY = "console";
    static final String ADMIN = "admin";
    static final String ADMIN_FILE = "demo/console-admin.txt";
    static final int DEFAULT_PORT = 9443;

    private final DemoChildJvm jvm;

    private DemoConsole(DemoChildJvm jvm) {
        this.jvm = jvm;
    }

    int port() {
        return jvm.port();
    }

    /** Prepares DATA/console and the demo admin, starts the console; empty (with a message) without its classpath. */
    static Optional<DemoConsole> start(Path data, String zkConnect, Path adminCredentials, int preferredPort) throws Exception {
        return start(data, zkConnect, adminCredentials, preferredPort, Optional.empty());
    }

    /** With the node's metrics (its admin endpoint's {@code /metrics}) as the console's live counters. */
    static Optional<DemoConsole> start(Path data, String zkConnect, Path adminCredentials, int preferredPort,
                                       Optional<String> metricsUrl) throws Exception {
        String classpath = System.getProperty(CLASSPATH_PROPERTY, "");
        if (classpath.isBlank()) {
            System.out.println("Admin console not started: no -D" + CLASSPATH_PROPERTY + " (run the demo through ./sealgate demo)");
            return Optional.empty();
        }
        Path dir = Files.createDirectories(data.resolve(DIRECTORY));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        KeyRing keys = KeyRing.loadOrCreate(dir.resolve("console.keys"), "demo-1");
        ensureDemoAdmin(data, zkConnect, DigestCredentials.fromFile(adminCredentials), keys);
        int port = DemoChildJvm.preferredOrFree(preferredPort, "the demo's admin console");
        // The console acts as the ZooKeeper admin identity, over TLS with the admin's certificate (relative to its directory).
        String[] adminTls = DemoTls.settings(data, dir, DemoTls.ADMIN);
        Files.writeString(dir.resolve("console.properties"), """
            # The demo's admin web console (rewritten at every demo start). See docs/reference.md for every key.
            https.host=127.0.0.1
            https.port=%d
            tls.demo-certificate=true
            zk.connect=%s
            zk.credentials=%s
            zk.tls.keystore=%s
            zk.tls.keystore.password-file=%s
            zk.tls.truststore=%s
            zk.tls.hostname-verification=true
            totp.keys=console.keys
            audit.search-dir=../audit
            %s
            """.formatted(port, zkConnect, dir.relativize(adminCredentials.toAbsolutePath()).toString(),
                adminTls[1], adminTls[3], adminTls[5], metricsUrl.map(url -> "metrics.url=" + url).orElse("")),
            StandardCharsets.UTF_8);
        return Optional.of(new DemoConsole(DemoChildJvm.start("the demo's admin console", classpath, "256m",
            "org.sealgate.console.ConsoleMain", dir, dir.resolve("console.log"), port)));
    }

    /** The demo admin exists in ZooKeeper and its credentials are in DATA/demo/console-admin.txt; created once. */
    private static void ensureDemoAdmin(Path data, String connect, DigestCredentials admin, KeyRing keys) throws Exception {
        List<ACL> acls = new ArrayList<>(List.of(new ACL(Perms.ALL, admin.identity())));
        try (CuratorFramework client = ZkClients.admin(connect, ZkClients.DEFAULT_NAMESPACE, admin, acls,
            Optional.of(DemoTls.admin(data)))) {
            client.start();
            if (!client.blockUntilConnected(10, TimeUnit.SECONDS)) {
                throw new IOException("no ZooKeeper at " + connect);
            }
            AdminAccounts accounts = new AdminAccounts(client, admin.identity(), PasswordHasher.STRONG, keys, Clock.systemUTC());
            Path file = data.resolve(ADMIN_FILE);
            if (accounts.exists(ADMIN) && Files.exists(file)) {
                return;
            }
            String password = ConsoleCommand.randomPassword();
            AdminAccounts.Enrollment enrollment = accounts.create(ADMIN, password);
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, """
                # The demo's admin console login (owner-only). Add the TOTP secret to an authenticator app, or:
                #   oathtool --totp -b "$(sed -n 's/^totp-secret=//p' THIS-FILE)"
                name=%s
                password=%s
                totp-secret=%s
                otpauth-uri=%s
                """.formatted(ADMIN, password, enrollment.secretBase32(), enrollment.otpauthUri()), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        jvm.close();
    }
}
