package org.sealgate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.sealgate.node.ClusterSettings;
import org.sealgate.node.NodeSettings;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.StoredConfig;

/**
 * {@code sealgate setup [--from FILE] [--config DIR] [--data DIR] [--owner USER]}: first-boot configuration of an
 * appliance node, asked on the terminal or read from a {@code key=value} file ({@link SetupAnswers}). Writes
 * {@code CONFIG/sealgate.properties} (and, standalone, {@code CONFIG/policy.properties}), linked from the data
 * directory where the node reads them; secrets (ZooKeeper credentials, the cluster master key) and imported TLS
 * keys go to {@code DATA/secrets} and {@code DATA/tls}, owner-only. Joining a cluster is checked against
 * ZooKeeper before anything is written when admin credentials are given; {@code cluster = new} makes this node the
 * first of a new cluster ({@link NewClusterWriter}). Clustered, with admin credentials and without
 * {@code --no-join}, it then runs {@code cluster join} ({@link ClusterJoinCommand}) and {@code gina init}
 * ({@link GinaInitCommand}). Re-running is safe: keys are kept, answers not given keep their values. Exit status:
 * 0 done, 1 failed, 2 usage.
 */
final class SetupCommand {
    static final Path APPLIANCE_CONFIG = Paths.get("/etc/sealgate");
    static final Path APPLIANCE_DATA = Paths.get("/var/lib/sealgate");
    private static final Set<String> OPTIONS = Set.of("from", "config", "data", "owner");

    private SetupCommand() {
    }

    static int run(List<String> args, Reader terminal, PrintStream out, PrintStream err) throws IOException {
        boolean noJoin = args.contains("--no-join");
        Arguments arguments = new Arguments(args.stream().filter(a -> !a.equals("--no-join")).toList(), OPTIONS);
        Path data = arguments.option("data").map(Paths::get).orElse(APPLIANCE_DATA).toAbsolutePath().normalize();
        Path config = arguments.option("config").map(Paths::get)
            .orElse(arguments.option("data").isPresent() ? data : APPLIANCE_CONFIG).toAbsolutePath().normalize();
        SetupAnswers answers = arguments.option("from").isPresent()
            ? SetupAnswers.fromFile(Paths.get(arguments.option("from").get()))
            : SetupAnswers.ask(new BufferedReader(terminal), out, currentAnswers(config));
        Optional<String> owner = arguments.option("owner").or(SetupCommand::defaultOwner);

        if (answers.joins() && answers.optional("zk.admin-credentials").isPresent()) {
            try {
                int version = checkJoin(answers);
                out.println("ZooKeeper " + answers.get("zk.connect", "") + " reachable, configuration version " + version);
            } catch (ConfigStoreException e) {
                err.println("sealgate: setup: cannot join the cluster, nothing written: " + e.getMessage());
                return 1;
            }
        }
        SetupWriter writer = new SetupWriter(config, data, owner);
        writer.write(answers);
        out.println("written " + config.resolve(NodeSettings.FILE_NAME) + " (data in " + data + ")");
        int status = 0;
        if (answers.clustered()) {
            status = completeCluster(answers, config, data, noJoin, out, err);
            writer.chown();
        }
        if (status == 0) {
            out.println("next: systemctl enable --now sealgate-node.service"
                + (answers.gina() ? " sealgate-gina.service" : "") + (answers.console() ? " sealgate-console.service" : ""));
        }
        return status;
    }

    /**
     * After the files: a new cluster's ZooKeeper started (on an appliance), {@code cluster join}, then GINA and the
     * console. Without admin credentials (or with {@code --no-join}) the remaining steps are printed instead.
     */
    private static int completeCluster(SetupAnswers answers, Path config, Path data, boolean noJoin, PrintStream out,
                                       PrintStream err) throws IOException {
        if (answers.console()) {
            out.println("written " + ConsoleSetup.write(config, data, answers)
                + " (first admin: sealgate console add-admin NAME --data " + data + ")");
        }
        Optional<String> admin = answers.newCluster()
            ? Optional.of(data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE).toString())
            : answers.optional("zk.admin-credentials");
        if (noJoin || admin.isEmpty()) {
            out.println("next: " + (answers.newCluster() ? "systemctl enable --now sealgate-zookeeper.service; " : "")
                + "sealgate cluster join --data " + data + (admin.isEmpty() ? " --admin-credentials FILE" : "")
                + (answers.gina() ? "; sealgate gina init --data " + data + " --config " + config : ""));
            return 0;
        }
        if (answers.newCluster()) {
            ApplianceServices.startZooKeeper(config, out);
        }
        List<String> join = new java.util.ArrayList<>(List.of("join", "--data", data.toString(),
            "--" + ZkTarget.ADMIN_CREDENTIALS, admin.get()));
        int status = ClusterJoinCommand.run(join, out, err);
        if (status != 0) {
            err.println("sealgate: setup: the files are written; fix the above and run: sealgate cluster join --data " + data);
            return status;
        }
        if (answers.gina()) {
            List<String> gina = new java.util.ArrayList<>(List.of("init", "--data", data.toString(), "--config", config.toString(),
                "--host-name", answers.ginaHostName(), "--port", answers.get("gina.port", "8443"),
                "--" + ZkTarget.ADMIN_CREDENTIALS, admin.get()));
            if (answers.optional("tls.portal.cert").isPresent()) {
                gina.addAll(List.of("--cert", answers.get("tls.portal.cert", ""), "--key", answers.get("tls.portal.key", "")));
            }
            try {
                status = GinaInitCommand.run(gina, out, err);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                err.println("sealgate: setup: gina init failed: " + e.getMessage() + "; run: sealgate gina init --data " + data);
                return 1;
            }
        }
        return status;
    }

    static int run(List<String> args) throws IOException {
        return run(args, new InputStreamReader(System.in, StandardCharsets.UTF_8), System.out, System.err);
    }

    /** Reads the configuration version with the admin identity: the credentials and the connect string work. */
    private static int checkJoin(SetupAnswers answers) throws IOException, ConfigStoreException {
        ZkTarget target = new ZkTarget(answers.get("zk.connect", ""),
            DigestCredentials.fromFile(Paths.get(answers.get("zk.admin-credentials", ""))),
            Optional.of(DigestCredentials.fromFile(Paths.get(answers.get("zk.credentials", "")))),
            answers.zkTls() ? Optional.of(org.sealgate.zk.tls.ZkTlsSettings.fromFile(Paths.get(answers.get("zk.tls.identity", ""))))
                : Optional.empty());
        try (AdminSession session = AdminSession.open(target)) {
            return session.reader().show().map(StoredConfig::version).orElse(0);
        }
    }

    /** On a re-run, the values in force are the defaults offered. */
    private static Map<String, String> currentAnswers(Path config) throws IOException {
        Map<String, String> current = new HashMap<>();
        Path file = config.resolve(NodeSettings.FILE_NAME);
        if (!Files.exists(file)) {
            return current;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        for (String key : List.of("node.hostname", "domains.managed", "smtp.host", "smtp.port", "smtp.trusted-networks",
                                  "delivery.relay", ClusterSettings.CONNECT)) {
            Optional.ofNullable(properties.getProperty(key)).ifPresent(v -> current.put(key, v));
        }
        Optional.ofNullable(properties.getProperty(ClusterSettings.NODE_ID)).ifPresent(v -> current.put("node.id", v));
        if (properties.getProperty(ClusterSettings.CONNECT, "").isBlank()) {
            current.put("cluster", SetupAnswers.STANDALONE);
        } else if (Files.exists(config.resolve(ZooKeeperMemberConfig.FILE_NAME))) {
            current.put("cluster", SetupAnswers.NEW);   // the cluster's first node: its own ZooKeeper member
        } else {
            current.put("cluster", SetupAnswers.JOIN);
        }
        return current;
    }

    /** Run as root on an appliance: the files belong to the service user {@code sealgate}, when it exists. */
    private static Optional<String> defaultOwner() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.empty();
        }
        try {
            Paths.get("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("sealgate");
            return Optional.of("sealgate");
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
