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
 * {@code ./sealgate gina --data DATA} runs the portal (its own JVM, no James on the classpath);
 * {@code ./sealgate gina reset-password ADDRESS --data DATA} gives an existing account a new first password
 * (printed once, for the admin to pass on) and ends its sessions. {@code DATA} means what it means for every
 * command: the node's (or demo's) data directory, the portal's files in {@code DATA/gina}; a portal's own
 * directory (holding {@code gina.properties}) is accepted too.
 */
public final class GinaMain {
    private GinaMain() {
    }

    static final String USAGE = """
        usage: sealgate gina [serve] [--data DATA]
               sealgate gina reset-password ADDRESS [--data DATA]
          serve            run the GINA portal (HTTPS) from DATA/gina/gina.properties; logs to the console
                           and DATA/gina/logs/portal.log (rotated daily and at 20 MB)
          reset-password   give ADDRESS's existing GINA account a new first password (printed once, to pass on
                           by phone) and end its sessions
          DATA: the node's or demo's data directory, as for every command (default $SEALGATE_DATA, else
          ~/.sealgate/demo); a portal's own directory with gina.properties is accepted too.
          --verbose: library logging too (reset-password is quiet by default); --help: this text.
        """;

    public static void main(String[] args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.contains("--help") || all.contains("-h")) {
            System.out.print(USAGE);
            System.exit(0);
        }
        boolean verbose = all.contains("--verbose");
        // Before the first logger exists: a command that answers and ends prints its answer, not ZooKeeper's
        // INFO lines and classpath; serving sets its console + file logging once the portal directory is known.
        boolean serving = all.stream().noneMatch("reset-password"::equals);
        if (!serving) {
            PortalLogging.answering(verbose);
        }
        try {
            System.exit(run(all, System.out, System.err));
        } catch (IllegalArgumentException e) {
            System.err.println("sealgate gina: " + e.getMessage() + " (sealgate gina --help)");
            System.exit(2);
        } catch (java.nio.file.NoSuchFileException e) {
            System.err.println("sealgate gina: cannot read " + e.getFile() + " (no such file): check the portal's "
                + PortalSettings.FILE_NAME);
            System.exit(1);
        } catch (Exception e) {
            System.err.println("sealgate gina: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(List<String> args, PrintStream out) throws Exception {
        return run(args, out, System.err);
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        List<String> positional = new ArrayList<>();
        Path data = null;
        boolean verbose = false;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--verbose")) {
                verbose = true;
            } else if (args.get(i).equals("--data")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--data needs a directory");
                }
                data = Path.of(args.get(++i));
            } else if (args.get(i).startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + args.get(i));
            } else {
                positional.add(args.get(i));
            }
        }
        String command = positional.isEmpty() ? "serve" : positional.get(0);
        Path portal = portalDirectory(data == null ? defaultData() : data, command, err);
        PortalSettings settings = PortalSettings.load(portal);
        return switch (command) {
            case "serve" -> serve(settings, verbose);
            case "reset-password" -> {
                if (positional.size() != 2) {
                    throw new IllegalArgumentException("reset-password needs exactly one ADDRESS");
                }
                yield resetPassword(settings, positional.get(1), out);
            }
            default -> throw new IllegalArgumentException("unknown gina command '" + command + "'");
        };
    }

    /** As every command: {@code --data}, else {@code $SEALGATE_DATA}, else the demo's. */
    private static Path defaultData() {
        String env = System.getenv("SEALGATE_DATA");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".sealgate", "demo");
    }

    /**
     * {@code DATA/gina} when it holds the portal's settings (the meaning {@code --data} has everywhere); else
     * {@code DATA} itself when it does (a portal's own directory, and the form reset-password used to take).
     */
    static Path portalDirectory(Path data, String command, PrintStream err) {
        Path absolute = data.toAbsolutePath();
        if (java.nio.file.Files.isRegularFile(absolute.resolve("gina").resolve(PortalSettings.FILE_NAME))) {
            return absolute.resolve("gina");
        }
        if (java.nio.file.Files.isRegularFile(absolute.resolve(PortalSettings.FILE_NAME))) {
            if (command.equals("reset-password") && absolute.getFileName() != null
                && absolute.getFileName().toString().equals("gina")
                && java.nio.file.Files.isDirectory(absolute.getParent())
                && java.nio.file.Files.isRegularFile(absolute.getParent().resolve("sealgate.properties"))) {
                err.println("sealgate gina: note: --data now takes the node's data directory, as every command does: "
                    + "--data " + absolute.getParent() + " (the portal directory still works, for now)");
            }
            return absolute;
        }
        throw new IllegalArgumentException("no " + PortalSettings.FILE_NAME + " in " + absolute.resolve("gina") + " or "
            + absolute + ": give --data the node's data directory (the demo's: ~/.sealgate/demo)");
    }

    private static int serve(PortalSettings settings, boolean verbose) throws Exception {
        PortalLogging.serving(settings.logDirectory(), verbose);
        // Production needs its configured certificate; only the demo may make itself a self-signed one.
        PortalTls.Material tls = settings.demoCertificate()
            ? PortalTls.loadOrCreateDemo(settings.keystore(), settings.keystorePasswordFile(), settings.publicUrl().getHost())
            : PortalTls.load(settings.keystore(), settings.keystorePasswordFile());
        CuratorFramework zooKeeper = zooKeeper(settings);
        // The settings every portal agrees on come from the cluster document (the document wins; logged at start).
        SharedSettings shared = SharedSettings.watching(zooKeeper, settings);
        shared.start();
        Server server = GinaPortal.create(settings, GinaPortal.context(settings, zooKeeper, Clock.systemUTC(), shared), tls);
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
            shared.close();
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
            // An account exists once a first mail went to the address through GINA; never create one here.
            if (accounts.find(address).isEmpty()) {
                throw new IllegalStateException("no GINA account for " + address + ": accounts are created when a"
                    + " first secure mail is sent to the address; check the spelling (nothing was changed)");
            }
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
