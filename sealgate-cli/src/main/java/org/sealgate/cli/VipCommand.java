package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.sealgate.node.ClusterSettings;
import org.sealgate.node.NodeSettings;
import org.sealgate.vip.KeepalivedConfig;
import org.sealgate.vip.KeepalivedOptions;
import org.sealgate.vip.Reloader;
import org.sealgate.vip.VipScripts;
import org.sealgate.vip.VipWatcher;
import org.sealgate.vip.VipWatchers;
import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.InvalidConfigException;
import org.sealgate.zk.config.VipAuthentication;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.LocalFiles;
import org.sealgate.zk.store.StoredConfig;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.tls.ZkTlsSettings;

/**
 * {@code sealgate vip render|watch|scripts}: keepalived for the GINA VIP. {@code render --node ID} prints the node's
 * keepalived.conf (the VRRP password masked; {@code --out FILE} writes it, owner-only); {@code watch --node ID --out
 * FILE} keeps it rendered, reloads keepalived on a change and publishes the node's VRRP state for {@code cluster
 * status} until SIGTERM; {@code scripts DIR} installs the check and notify scripts. The document is read as the
 * node identity: {@code --data DIR} (the node's {@code sealgate.properties}) or {@code --zk CONNECT
 * --node-credentials FILE}. Exit status: 0 done, 1 failed, 2 usage.
 */
final class VipCommand {
    private static final Set<String> OPTIONS = Set.of("data", ZkTarget.ZK, ZkTarget.NODE_CREDENTIALS, ZkTarget.ZK_TLS, "node", "out",
        "scripts", "state-dir", "portal-port", "auth-pass-file", "pid-file", "reload-command", "last-known-good");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** keepalived's own default pid file (Debian's unit starts it without -p). */
    static final Path DEFAULT_PID_FILE = Path.of("/run/keepalived.pid");

    private VipCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Arguments arguments = new Arguments(args, OPTIONS);
        String action = arguments.positional(0, "vip action (render, watch, scripts DIR)");
        return switch (action) {
            case "render" -> render(arguments, out, err);
            case "watch" -> watch(arguments, out);
            case "scripts" -> {
                Path directory = Paths.get(arguments.positional(1, "scripts DIR")).toAbsolutePath();
                VipScripts.install(directory);
                out.println("installed " + String.join(", ", VipScripts.NAMES) + " in " + directory);
                yield 0;
            }
            default -> throw new Arguments.UsageException("unknown vip action '" + action + "'");
        };
    }

    private static int render(Arguments arguments, PrintStream out, PrintStream err) throws Exception {
        String node = arguments.option("node").orElseThrow(() -> new Arguments.UsageException("vip render needs --node ID"));
        Reader reader = Reader.from(arguments);
        StoredConfig stored;
        try (CuratorFramework client = reader.connect()) {
            stored = new ConfigStore(client, List.of(), reader.credentials().user()).show().orElseThrow(
                () -> new ConfigStoreException("ZooKeeper at " + reader.connectString() + " holds no cluster configuration yet", null));
        } catch (ConfigStoreException e) {
            err.println("sealgate: " + e.getMessage());
            return 1;
        }
        ConfigDocument document;
        try {
            document = ConfigDocument.parse(stored.document());
        } catch (InvalidConfigException e) {
            err.println("sealgate: configuration version " + stored.version() + " does not validate: " + e.getMessage());
            return 1;
        }
        String text = KeepalivedConfig.render(document.config(), node, stored.version(),
            options(arguments, document.config().vip().authentication()));
        Optional<String> file = arguments.option("out");
        if (file.isPresent()) {
            LocalFiles.writeOwnerOnlyAtomically(Paths.get(file.get()), text.getBytes(StandardCharsets.UTF_8));
            out.println("wrote keepalived configuration of node " + node + " (configuration version " + stored.version()
                + ") to " + file.get());
        } else {
            out.print(KeepalivedConfig.masked(text));
        }
        return 0;
    }

    private static int watch(Arguments arguments, PrintStream out) throws Exception {
        String node = arguments.option("node").orElseThrow(() -> new Arguments.UsageException("vip watch needs --node ID"));
        Path file = Paths.get(arguments.option("out").orElseThrow(() -> new Arguments.UsageException("vip watch needs --out FILE")))
            .toAbsolutePath();
        Reader reader = Reader.from(arguments);
        Reloader reloader = arguments.option("reload-command")
            .map(command -> Reloader.command(Arrays.asList(command.trim().split("\\s+"))))
            .orElse(Reloader.signal(arguments.option("pid-file").map(Paths::get).orElse(DEFAULT_PID_FILE)));
        // The document copy names internal hosts: in the node's data directory when there is one, not beside the
        // keepalived.conf (e.g. /etc/keepalived); owner-only either way.
        Path lastKnownGood = arguments.option("last-known-good").map(Paths::get)
            .orElse(arguments.option(ZkTarget.ZK).isPresent() ? file.resolveSibling(file.getFileName() + ".source.json")
                : new org.sealgate.node.NodeLayout(arguments.dataDirectory()).lastKnownGoodConfig()
                    .resolveSibling("vip-last-known-good.json"));
        // The password file is read once; its authentication setting decides nothing until a document asks for it.
        KeepalivedOptions options = options(arguments, Files.exists(authPassFile(arguments))
            ? VipAuthentication.PASS : VipAuthentication.NONE);
        CuratorFramework client = ZkClients.node(reader.connectString(), ZkClients.DEFAULT_NAMESPACE, reader.credentials(),
            reader.tls());
        VipWatcher watcher = VipWatchers.watch(client, reader.credentials().identity(), node, file, options, reloader,
            lastKnownGood, VipWatchers.DEFAULT_REFRESH);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watcher.close();
            client.close();
            stopped.countDown();
        }, "sealgate-vip-shutdown"));
        client.start();
        watcher.start();
        out.println("watching the cluster configuration for node " + node + ": keepalived configuration in " + file
            + " (stop with SIGTERM)");
        out.flush();
        stopped.await();
        return 0;
    }

    private static KeepalivedOptions options(Arguments arguments, VipAuthentication authentication) throws IOException {
        OptionalInt port = arguments.option("portal-port").map(p -> OptionalInt.of(parsePort(p))).orElse(OptionalInt.empty());
        Optional<String> password = Optional.empty();
        if (authentication == VipAuthentication.PASS) {
            Path passFile = authPassFile(arguments);
            if (!Files.exists(passFile)) {
                throw new Arguments.UsageException("the document asks for VRRP authentication: pass; put the password"
                    + " (up to 8 characters) in " + passFile + " (owner-only) or give --auth-pass-file FILE");
            }
            password = Optional.of(Files.readString(passFile, StandardCharsets.UTF_8).strip());
        }
        return new KeepalivedOptions(arguments.option("scripts").map(Paths::get).orElse(KeepalivedOptions.DEFAULT_SCRIPTS),
            arguments.option("state-dir").map(Paths::get).orElse(KeepalivedOptions.DEFAULT_STATE), port, password);
    }

    private static Path authPassFile(Arguments arguments) {
        return arguments.option("auth-pass-file").map(Paths::get).orElse(KeepalivedOptions.DEFAULT_AUTH_PASS_FILE);
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new Arguments.UsageException("--portal-port needs a number, got '" + text + "'");
        }
    }

    /** The node identity the document is read with: from the node's data directory, or given outright. */
    private record Reader(String connectString, Path credentialsFile, Optional<ZkTlsSettings> tls) {

        static Reader from(Arguments arguments) throws IOException {
            Optional<String> zk = arguments.option(ZkTarget.ZK);
            if (zk.isPresent()) {
                Optional<ZkTlsSettings> tls = arguments.option(ZkTarget.ZK_TLS).isPresent()
                    ? Optional.of(ZkTlsSettings.fromFile(Paths.get(arguments.option(ZkTarget.ZK_TLS).get())))
                    : Optional.empty();
                return new Reader(zk.get(), Paths.get(arguments.option(ZkTarget.NODE_CREDENTIALS).orElseThrow(() ->
                    new Arguments.UsageException("--zk needs --node-credentials FILE (one line node-user:password)"))), tls);
            }
            Path data = arguments.dataDirectory();
            if (!Files.exists(data.resolve(NodeSettings.FILE_NAME))) {
                throw new Arguments.UsageException(data + " is not a Sealgate data directory; give --data DIR or --zk CONNECT");
            }
            ClusterSettings settings = ClusterSettings.load(data).orElseThrow(() -> new Arguments.UsageException(
                data + "/" + NodeSettings.FILE_NAME + " has no " + ClusterSettings.CONNECT + "; give --zk CONNECT"
                    + " --node-credentials FILE"));
            return new Reader(settings.connect(), settings.credentials(), ClusterSettings.tls(data));
        }

        DigestCredentials credentials() throws IOException {
            return DigestCredentials.fromFile(credentialsFile);
        }

        /** A started client, connected within the timeout, or an exception saying why not. */
        CuratorFramework connect() throws IOException, ConfigStoreException {
            CuratorFramework client = ZkClients.node(connectString, ZkClients.DEFAULT_NAMESPACE, credentials(), tls);
            client.start();
            try {
                if (!client.blockUntilConnected((int) CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    client.close();
                    throw new ConfigStoreException(ZkUnreachable.message(connectString, CONNECT_TIMEOUT, tls.isPresent()), null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                client.close();
                throw new ConfigStoreException("interrupted while connecting to ZooKeeper", e);
            }
            return client;
        }
    }
}
