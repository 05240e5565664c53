package org.sealgate.gina.portal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.eclipse.jetty.server.Server;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.throttle.GinaLimits;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/**
 * {@code ./sealgate gina --data DIR} runs the portal (its own JVM, no James on the classpath);
 * {@code ./sealgate gina reset-password ADDRESS --data DIR} gives an account a new first password (printed once,
 * for the admin to pass on) and ends its sessions.
 */
public final class GinaMain {
    private GinaMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(List.of(args), System.out));
        } catch (IllegalArgumentException e) {
            System.err.println("sealgate gina: " + e.getMessage());
            System.err.println("usage: sealgate gina [serve] --data DIR | reset-password ADDRESS --data DIR");
            System.exit(2);
        } catch (Exception e) {
            System.err.println("sealgate gina: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(List<String> args, PrintStream out) throws Exception {
        List<String> positional = new ArrayList<>();
        Path data = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--data") && i + 1 < args.size()) {
                data = Path.of(args.get(++i));
            } else if (args.get(i).startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + args.get(i));
            } else {
                positional.add(args.get(i));
            }
        }
        if (data == null) {
            throw new IllegalArgumentException("--data DIR is required (the directory with gina.properties)");
        }
        PortalSettings settings = PortalSettings.load(data);
        String command = positional.isEmpty() ? "serve" : positional.get(0);
        return switch (command) {
            case "serve" -> serve(settings);
            case "reset-password" -> {
                if (positional.size() != 2) {
                    throw new IllegalArgumentException("reset-password needs exactly one ADDRESS");
                }
                yield resetPassword(settings, positional.get(1), out);
            }
            default -> throw new IllegalArgumentException("unknown gina command '" + command + "'");
        };
    }

    private static int serve(PortalSettings settings) throws Exception {
        // Production needs its configured certificate; only the demo may make itself a self-signed one.
        PortalTls.Material tls = settings.demoCertificate()
            ? PortalTls.loadOrCreateDemo(settings.keystore(), settings.keystorePasswordFile(), settings.publicUrl().getHost())
            : PortalTls.load(settings.keystore(), settings.keystorePasswordFile());
        CuratorFramework zooKeeper = zooKeeper(settings);
        Server server = GinaPortal.create(settings, GinaPortal.context(settings, zooKeeper, Clock.systemUTC()), tls);
        // Throttle counters quiet for a day no longer count: sweep them hourly so ZooKeeper holds only live ones.
        GinaLimits limits = GinaLimits.zooKeeper(zooKeeper, AccountStores.creatorOnly(), LockoutPolicy.DEFAULT, Clock.systemUTC());
        java.util.concurrent.ScheduledExecutorService sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "gina-throttle-sweep");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                limits.sweep();
            } catch (Exception e) {
                System.err.println("GINA portal: throttle sweep failed (retried in an hour): " + e.getMessage());
            }
        }, 1, 60, TimeUnit.MINUTES);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sweeper.shutdownNow();
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("GINA portal: stop failed: " + e);
            }
            zooKeeper.close();
        }, "gina-portal-shutdown"));
        server.start();
        System.out.println("GINA portal on https://" + settings.httpsHost() + ":" + GinaPortal.httpsPort(server)
            + " (public URL " + settings.publicUrl() + "), audit in " + settings.auditFile());
        server.join();
        return 0;
    }

    private static int resetPassword(PortalSettings settings, String address, PrintStream out) throws Exception {
        try (CuratorFramework zooKeeper = zooKeeper(settings)) {
            GinaAccounts accounts = new GinaAccounts(AccountStores.zooKeeper(zooKeeper, AccountStores.creatorOnly()),
                new PasswordHasher(settings.argon2MemoryKib(), settings.argon2Iterations(), 1),
                GinaLimits.zooKeeper(zooKeeper, AccountStores.creatorOnly(), LockoutPolicy.DEFAULT, Clock.systemUTC()),
                settings.firstPasswordLifetime(), Clock.systemUTC());
            String firstPassword = accounts.resetByAdmin(address);
            new AuditLog(settings.auditFile(), settings.nodeId(), Clock.systemUTC(), settings.auditMaxBytes(), settings.auditFiles())
                .record("reset", address.strip().toLowerCase(java.util.Locale.ROOT), null, "cli", "success", Map.of("by", "admin"));
            out.println("New first password for " + address + " (give it to the recipient; it is shown only now):");
            out.println(firstPassword);
            return 0;
        }
    }

    static CuratorFramework zooKeeper(PortalSettings settings) throws Exception {
        CuratorFramework client = ZkClients.node(settings.zkConnect(), settings.zkNamespace(),
            DigestCredentials.fromFile(settings.zkCredentials()), settings.zkTls());
        client.start();
        if (!client.blockUntilConnected(15, TimeUnit.SECONDS)) {
            client.close();
            throw new IllegalStateException("no connection to ZooKeeper at " + settings.zkConnect() + " within 15 s");
        }
        return client;
    }
}
