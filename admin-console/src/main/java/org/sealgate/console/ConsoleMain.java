package org.sealgate.console;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.eclipse.jetty.server.Server;
import org.sealgate.gina.portal.PortalTls;
import org.sealgate.zk.keys.ZkKeyDirectories;
import org.sealgate.zk.keys.ZkKeyDirectory;
import org.sealgate.zk.keys.ZkPgpKeyDirectories;
import org.sealgate.zk.keys.ZkPgpKeyDirectory;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/**
 * {@code ./sealgate console --data DIR} runs the admin web console from {@code DIR/console.properties} in its own
 * JVM (no James on the classpath): {@code org.sealgate.console.ConsoleMain}. Admins are added with
 * {@code ./sealgate console add-admin NAME}.
 */
public final class ConsoleMain {
    private ConsoleMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(List.of(args)));
        } catch (IllegalArgumentException e) {
            System.err.println("sealgate console: " + e.getMessage());
            System.err.println("usage: sealgate console [serve] --data DIR");
            System.exit(2);
        } catch (Exception e) {
            System.err.println("sealgate console: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(List<String> args) throws Exception {
        List<String> rest = !args.isEmpty() && args.get(0).equals("serve") ? args.subList(1, args.size()) : args;
        if (rest.size() != 2 || !rest.get(0).equals("--data")) {
            throw new IllegalArgumentException("--data DIR is required (the directory with console.properties)");
        }
        ConsoleSettings settings = ConsoleSettings.load(java.nio.file.Path.of(rest.get(1)));
        PortalTls.Material tls = settings.demoCertificate()
            ? PortalTls.loadOrCreateDemo(settings.keystore(), settings.keystorePasswordFile(), settings.httpsHost())
            : PortalTls.load(settings.keystore(), settings.keystorePasswordFile());
        DigestCredentials admin = DigestCredentials.fromFile(settings.zkCredentials());
        // Nothing is created with these ACLs except what the admin identity alone should own.
        CuratorFramework zooKeeper = ZkClients.admin(settings.zkConnect(), settings.zkNamespace(), admin,
            new java.util.ArrayList<>(List.of(new ACL(Perms.ALL, admin.identity()))), settings.zkTls());
        zooKeeper.start();
        if (!zooKeeper.blockUntilConnected(15, TimeUnit.SECONDS)) {
            zooKeeper.close();
            throw new IllegalStateException("no connection to ZooKeeper at " + settings.zkConnect() + " within 15 s");
        }
        // No master key on the console: it lists keys, it never opens a managed private key.
        ZkKeyDirectory keys = ZkKeyDirectories.forAdmin(zooKeeper, Optional.empty());
        keys.start();
        if (!keys.awaitInitialized(Duration.ofSeconds(15))) {
            System.err.println("admin console: the key store was not read within 15 s; the keys page shows what arrives later");
        }
        ZkPgpKeyDirectory pgpKeys = ZkPgpKeyDirectories.forAdmin(zooKeeper, Optional.empty());
        pgpKeys.start();
        if (!pgpKeys.awaitInitialized(Duration.ofSeconds(15))) {
            System.err.println("admin console: the OpenPGP key store was not read within 15 s; the keys page shows what arrives later");
        }
        Server server = ConsoleServer.create(settings, ConsoleServer.context(settings, zooKeeper, admin.identity(),
            new ClusterHeld(zooKeeper), keys, pgpKeys, Clock.systemUTC()), tls);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("admin console: stop failed: " + e);
            }
            keys.close();
            pgpKeys.close();
            zooKeeper.close();
        }, "admin-console-shutdown"));
        server.start();
        System.out.println("Admin console on https://" + settings.httpsHost() + ":" + ConsoleServer.port(server)
            + ", audit in " + settings.auditFile());
        server.join();
        return 0;
    }
}
