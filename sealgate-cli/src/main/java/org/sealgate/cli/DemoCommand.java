package org.sealgate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.sealgate.node.AdminSettings;
import org.sealgate.node.ClusterSettings;
import org.sealgate.node.NodeLayout;
import org.sealgate.node.NodeSettings;
import org.sealgate.node.NodeStartException;
import org.sealgate.node.PortProbe;
import org.sealgate.node.SealgateNode;
import org.sealgate.zk.store.DigestCredentials;

/**
 * {@code sealgate demo [--data DIR] [--smtp-port N] [--relay HOST:PORT] [--admin-port N]}: one node on embedded defaults, plus the
 * GINA portal in its own JVM ({@link DemoPortal}) when {@code ./sealgate} gives its classpath.
 */
final class DemoCommand {
    private DemoCommand() {
    }

    static int run(List<String> args) throws Exception {
        Arguments arguments = new Arguments(args, Set.of("data", "smtp-port", "relay", "admin-port", "console-port"));
        Path data = arguments.dataDirectory();
        if (!DemoSetup.exists(data)) {
            System.out.println("First start: creating demo CA, users and partner in " + data);
            DemoSetup.create(data);
        }
        NodeLayout layout = new NodeLayout(data);
        NodeSettings settings = smtpPort(NodeSettings.load(layout.data()), arguments.option("smtp-port"));
        CliLogging.toFiles(data.resolve("logs"), "node");
        // ZooKeeper first: the node reads its policy from it, and it must outlive the node at shutdown.
        EmbeddedZooKeeper zooKeeper = DemoCluster.start(data);
        if (arguments.option("relay").isPresent()) {
            settings = settings.withRelay(Optional.of(arguments.option("relay").get()));
        }
        int adminPort = DemoAdminPort.choose(arguments.option("admin-port"));
        SealgateNode node = new SealgateNode(layout, settings, Optional.of(AdminSettings.load(data).withPort(adminPort)));
        Optional<DemoPortal> portal = Optional.empty();
        Optional<DemoConsole> console = Optional.empty();
        try {
            DigestCredentials admin = DigestCredentials.fromFile(data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE));
            DemoGina.prepare(data, zooKeeper.connectString(), admin);
            int replyPort = DemoGina.recordReplyListener(data, settings.smtpPort());
            portal = DemoPortal.start(data, zooKeeper.connectString(), admin, replyPort);
            DemoGina.recordPortal(data, portal.map(DemoPortal::port).orElse(DemoGina.DEFAULT_PORT));
            console = DemoConsole.start(data, zooKeeper.connectString(), data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE),
                arguments.option("console-port").map(Integer::parseInt).orElse(DemoConsole.DEFAULT_PORT),
                Optional.of("http://127.0.0.1:" + adminPort + "/metrics"));
        } catch (Exception e) {
            console.ifPresent(DemoConsole::close);
            portal.ifPresent(DemoPortal::close);
            zooKeeper.close();
            throw e;
        }
        printWhatToTry(layout, settings);
        System.out.printf("Node admin endpoint: http://127.0.0.1:%d/healthz and /metrics   "
            + "(./sealgate node drain --data %s  |  node resume)%n%n", adminPort, data);
        portal.ifPresent(p -> System.out.printf(
            "GINA portal: https://127.0.0.1:%d (demo certificate; log %s/gina/logs/portal.log, audit %s/gina/audit/)%n"
                + "  ./sealgate gina reset-password ADDRESS --data %s   # a recipient's new first password%n%n",
            p.port(), data, data, data));
        console.ifPresent(c -> System.out.printf(
            "Admin console: https://127.0.0.1:%d (demo certificate; login in %s/%s; log %s/console/console.log)%n%n",
            c.port(), data, DemoConsole.ADMIN_FILE, data));
        // Stopped in this order: the node, the console and portal JVMs, then the ZooKeeper they use.
        List<AutoCloseable> after = new ArrayList<>();
        console.ifPresent(after::add);
        portal.ifPresent(after::add);
        after.add(zooKeeper);
        after.add(() -> System.out.println("Sealgate demo stopped."));
        NodeCommand.runUntilStopped(node, after.toArray(AutoCloseable[]::new));
        return 0;
    }

    /**
     * The demo's SMTP port: {@code --smtp-port} when given (refused, naming it, when taken), else the data
     * directory's (2525), else, when that is taken, a free one (printed), as the portal and ZooKeeper do.
     */
    static NodeSettings smtpPort(NodeSettings settings, Optional<String> given) throws java.io.IOException, NodeStartException {
        if (given.isPresent()) {
            int port;
            try {
                port = Integer.parseInt(given.get());
            } catch (NumberFormatException e) {
                throw new Arguments.UsageException("--smtp-port " + given.get() + " is not a port number (1-65535)");
            }
            if (port < 1 || port > 65535) {
                throw new Arguments.UsageException("--smtp-port " + given.get() + " is not a port number (1-65535)");
            }
            if (!PortProbe.isFree(settings.smtpHost(), port)) {
                throw NodeStartException.portTaken(settings.smtpHost(), port,
                    "choose another with --smtp-port N (or leave it out: the demo then picks a free port)");
            }
            return settings.withSmtpPort(port);
        }
        if (PortProbe.isFree(settings.smtpHost(), settings.smtpPort())) {
            return settings;
        }
        int free = PortProbe.freePort(settings.smtpHost());
        System.out.println("Port " + settings.smtpPort() + " is taken; the demo's SMTP server uses " + settings.smtpHost()
            + ":" + free + " instead (or choose one with --smtp-port N)");
        return settings.withSmtpPort(free);
    }

    private static void printWhatToTry(NodeLayout layout, NodeSettings settings) {
        String d = layout.data().toString();
        String server = settings.smtpHost() + ":" + settings.smtpPort();
        String out = settings.relay().map(r -> "the next hop " + r).orElse(d + "/mail/outbound/");
        System.out.println("""

            Sealgate demo: SMTP on %s, managed domain %s (users alice@, bob@), data in %s
            Mail leaving the gateway goes to %s; inbound mail (after decryption) to %s.

            Try (in another terminal):
              swaks --server %s --from %s --to %s --body 'hello Carol' --attach /etc/hostname
              openssl cms -decrypt -in "$(ls -t %s/mail/outbound/*.eml | head -n 1)" \\
                  -recip %s/demo/carol.pem -inkey %s/demo/carol.key.pem > decrypted.eml
              openssl cms -verify -in decrypted.eml -CAfile %s/demo/demo-ca.pem
              swaks --server %s --from %s --to dave@partner.example --body secret   # bounced: no certificate
              ./sealgate keys list --data %s
              ./sealgate config show --data %s           # the cluster configuration, in the embedded ZooKeeper
              ./sealgate config apply %s/%s --data %s   # after editing it: applies without restart
              ./sealgate cluster status --data %s        # the node registry: role, config version, health
            Audit trail: %s/audit/audit.jsonl    Stop with Ctrl-C.
            """.formatted(server, DemoSetup.DOMAIN, d, out,
                settings.relay().map(r -> "the next hop " + r).orElse(d + "/mail/inbound/"),
                server, DemoSetup.ALICE, DemoSetup.CAROL, d, d, d, d, server, DemoSetup.ALICE, d, d, d, DemoCluster.DOCUMENT_FILE, d, d, d));
    }
}
