package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.sealgate.zk.tls.ZkTlsAuthority;

/**
 * {@code sealgate cluster tls-init DIR [--name NAME]}: a new CA for the cluster's ZooKeeper connections in DIR;
 * {@code sealgate cluster tls-issue DIR --identity NAME [--host H,H...]}: a certificate for one identity (each
 * ZooKeeper server with its host names or addresses; admin, each node, the portal). Prints where the files went and
 * which settings use them. Exit status: 0 done, 2 usage.
 */
final class ZkTlsCommand {
    private ZkTlsCommand() {
    }

    static int run(List<String> args, PrintStream out) throws IOException {
        Arguments arguments = new Arguments(args, Set.of("name", "identity", "host"));
        String action = arguments.positional(0, "tls-init DIR or tls-issue DIR");
        Path directory = Paths.get(arguments.positional(1, action + " DIR")).toAbsolutePath();
        switch (action) {
            case "tls-init" -> {
                ZkTlsAuthority.create(directory, arguments.option("name").orElse("Sealgate ZooKeeper CA"), Instant.now());
                out.println("ZooKeeper CA made in " + directory + ": " + ZkTlsAuthority.CA_CERTIFICATE
                    + " (the trust store of every server and client) and " + ZkTlsAuthority.CA_KEY
                    + " (owner-only: keep it off the nodes once the identities are issued)");
                out.println("next: sealgate cluster tls-issue " + directory + " --identity zookeeper-1 --host zk1.example.net"
                    + "   (then admin, one per node, portal)");
                return 0;
            }
            case "tls-issue" -> {
                String identity = arguments.option("identity").orElseThrow(
                    () -> new Arguments.UsageException("tls-issue needs --identity NAME (admin, node-a, portal, zookeeper-1...)"));
                List<String> hosts = arguments.option("host").map(h -> Arrays.stream(h.split(","))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
                Path client;
                try {
                    client = ZkTlsAuthority.load(directory).issue(identity, hosts, Instant.now());
                } catch (IllegalArgumentException e) {
                    throw new Arguments.UsageException(e.getMessage());
                }
                out.println("issued " + identity + (hosts.isEmpty() ? "" : " for " + String.join(", ", hosts)) + ": "
                    + directory.resolve(identity + ".p12") + " and its password file (owner-only)");
                out.println("client settings (zk.tls.* keys): " + client
                    + "  -- use with --zk-tls, or copy the keys into sealgate.properties / gina.properties");
                return 0;
            }
            default -> throw new Arguments.UsageException("unknown cluster action '" + action + "'");
        }
    }
}
