package org.sealgate.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.sealgate.node.ClusterSettings;
import org.sealgate.node.NodeSettings;
import org.sealgate.zk.keys.ClusterMasterKey;

/**
 * Writes what {@code sealgate setup} decided. Settings go to the configuration directory (what an administrator
 * reads and backs up; read-only to the service), linked from the data directory, where the node reads them;
 * secrets and TLS keys go to the data directory (owner-only). Every file is written whole to a temporary name and
 * moved into place, so a failed run leaves the previous configuration.
 */
final class SetupWriter {
    static final String POLICY_FILE = "policy.properties";
    /** The node's role and addresses as {@code cluster join} lists them in the cluster document. */
    static final String NODE_ROLE = "node.role";
    static final String NODE_ADDRESSES = "node.addresses";
    /** A standalone node's first policy: sign what managed users send, encrypt when a certificate is known. */
    private static final String DEFAULT_POLICY = """
        # Sealgate policy (written by sealgate setup; edit freely, the node re-reads it).
        # Encryption settings apply to the recipient's domain, signing to the sender's.
        default.encrypt = opportunistic          # off | opportunistic | required
        default.sign = true
        default.content-encryption = aes256-gcm
        default.rsa-key-transport = oaep
        default.unencryptable = bounce
        """;

    private final Path config;
    private final Path data;
    private final Optional<String> owner;

    SetupWriter(Path config, Path data, Optional<String> owner) {
        this.config = config;
        this.data = data;
        this.owner = owner;
    }

    void write(SetupAnswers answers) throws IOException {
        NodeSettings node = nodeSettings(answers);   // validates ports, next hop and domains before anything is written
        if (answers.newCluster()) {
            NewClusterWriter.member(answers, data);   // ZooKeeper's host and ports, likewise
        }
        createDirectory(data, "rwx------");
        if (!config.equals(data)) {
            createDirectory(config, "rwxr-x---");
        }
        Path secrets = createDirectory(data.resolve("secrets"), "rwx------");

        Properties properties = existing(config.resolve(NodeSettings.FILE_NAME));
        properties.setProperty("node.hostname", node.hostname());
        properties.setProperty("smtp.host", node.smtpHost());
        properties.setProperty("smtp.port", Integer.toString(node.smtpPort()));
        properties.setProperty("smtp.trusted-networks", String.join(",", node.trustedNetworks()));
        properties.setProperty("domains.managed", String.join(",", node.managedDomains()));
        properties.setProperty("delivery.relay", node.relay().orElse(""));
        properties.setProperty(ClusterSettings.NODE_ID, answers.nodeId());
        // The load balancer's health check needs a fixed port (a node's own default is any free port); the
        // endpoint is unauthenticated, so loopback unless the administrator names a management address.
        properties.setProperty("admin.host", answers.get("admin.host", properties.getProperty("admin.host", "127.0.0.1")));
        properties.setProperty("admin.port", answers.get("admin.port", properties.getProperty("admin.port", "8081")));
        properties.setProperty(NODE_ROLE, answers.role().name().toLowerCase(java.util.Locale.ROOT));
        properties.setProperty(NODE_ADDRESSES, String.join(",", answers.nodeAddresses()));
        if (answers.clustered()) {
            Path credentials = secrets.resolve("zk-node.credentials");
            if (answers.joins()) {
                copySecret(Path.of(answers.get("zk.credentials", "")), credentials);
                properties.setProperty(ClusterSettings.CONNECT, answers.get("zk.connect", ""));
                // zk.tls unanswered keeps zk.tls.* keys an administrator added by hand; "off" removes them.
                if (answers.optional("zk.tls").isPresent()) {
                    ClusterTlsImport.KEYS.forEach(properties::remove);
                }
                if (answers.zkTls()) {
                    ClusterTlsImport.importIdentity(Path.of(answers.get("zk.tls.identity", "")), data.resolve(NewClusterWriter.PKI))
                        .forEach(properties::setProperty);
                }
                if (answers.console()) {
                    // The console works as the admin identity: it needs the admin's credentials on this node.
                    copySecret(Path.of(answers.get("zk.admin-credentials", "")), data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE));
                }
                if (answers.gina()) {
                    copySecret(Path.of(answers.get("gina.credentials", "")), data.resolve(org.sealgate.gina.GinaFiles.ZK_CREDENTIALS));
                    createDirectory(data.resolve("gina"), "rwx------");
                    keyRing(Path.of(answers.get("gina.keys", "")), data.resolve(org.sealgate.gina.GinaFiles.KEY_RING));
                    keyRing(Path.of(answers.get("gina.session-keys", "")), data.resolve(GinaInitCommand.SESSION_KEYS));
                }
            } else {
                ClusterTlsImport.KEYS.forEach(properties::remove);
                new NewClusterWriter(config, data).write(answers).forEach(properties::setProperty);
            }
            Path masterKey = secrets.resolve("cluster-master.key");
            masterKey(answers.get("master-key", "create"), masterKey);
            properties.setProperty(ClusterSettings.CREDENTIALS, credentials.toString());
            properties.setProperty(ClusterSettings.KEYS, "zookeeper");
            properties.setProperty(ClusterSettings.MASTER_KEY, masterKey.toString());
        } else {
            for (String key : List.of(ClusterSettings.CONNECT, ClusterSettings.CREDENTIALS, ClusterSettings.KEYS,
                                      ClusterSettings.MASTER_KEY)) {
                properties.remove(key);
            }
            Path policy = config.resolve(POLICY_FILE);
            if (!Files.exists(policy)) {
                writeAtomically(policy, DEFAULT_POLICY, "rw-r-----");
            }
            link(data.resolve(POLICY_FILE), policy);
        }
        if (answers.optional("tls.smtp.cert").isPresent()) {
            Path tls = createDirectory(data.resolve("tls"), "rwx------");
            copyPem(Path.of(answers.get("tls.smtp.cert", "")), tls.resolve("smtp-cert.pem"), "CERTIFICATE");
            copyPem(Path.of(answers.get("tls.smtp.key", "")), tls.resolve("smtp-key.pem"), "PRIVATE KEY");
        }
        StringBuilder text = new StringBuilder("# Sealgate node settings, written by sealgate setup (re-run it, or edit).\n");
        properties.stringPropertyNames().stream().sorted()
            .forEach(k -> text.append(k).append(" = ").append(escape(properties.getProperty(k))).append('\n'));
        writeAtomically(config.resolve(NodeSettings.FILE_NAME), text.toString(), "rw-r-----");
        link(data.resolve(NodeSettings.FILE_NAME), config.resolve(NodeSettings.FILE_NAME));
        NodeSettings.load(data);   // what the node will read, read back through the link
        chown();
    }

    private static NodeSettings nodeSettings(SetupAnswers answers) {
        int port;
        try {
            port = Integer.parseInt(answers.get("smtp.port", "25"));
        } catch (NumberFormatException e) {
            throw new Arguments.UsageException("setup: smtp.port is not a number: " + answers.get("smtp.port", ""));
        }
        try {
            return new NodeSettings(answers.get("node.hostname", answers.nodeId()), answers.get("smtp.host", "0.0.0.0"),
                port, Arrays.stream(answers.get("smtp.trusted-networks", "127.0.0.1/32").split(","))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList(),
                answers.managedDomains(), answers.optional("delivery.relay"), 51200, true);
        } catch (IllegalArgumentException e) {
            throw new Arguments.UsageException("setup: " + e.getMessage());
        }
    }

    /** Keeps a key already there (keys sealed under it stay readable); a different imported key is refused. */
    private static void masterKey(String answer, Path target) throws IOException {
        if (answer.equals("create")) {
            if (!Files.exists(target)) {
                ClusterMasterKey.create(target);
            }
            return;
        }
        ClusterMasterKey imported = ClusterMasterKey.fromFile(Path.of(answer));
        if (Files.exists(target)) {
            if (!ClusterMasterKey.fromFile(target).keyId().equals(imported.keyId())) {
                throw new IOException(target + " holds another cluster master key (id " + ClusterMasterKey.fromFile(target).keyId()
                    + "); remove it first if the cluster's key really changed");
            }
            return;
        }
        copySecret(Path.of(answer), target);
    }

    /** An imported GINA key ring must be the cluster's, the same on every node: a different one is refused. */
    private static void keyRing(Path source, Path target) throws IOException {
        org.sealgate.gina.key.KeyRing.load(source);   // refuses what is not a key ring
        if (Files.exists(target) && Files.mismatch(source, target) != -1) {
            throw new IOException(target + " holds another GINA key ring; remove it first if the cluster's ring really changed");
        }
        copySecret(source, target);
    }

    static void copySecret(Path source, Path target) throws IOException {
        writeAtomically(target, Files.readString(source, StandardCharsets.UTF_8), "rw-------");
    }

    private static void copyPem(Path source, Path target, String type) throws IOException {
        String pem = Files.readString(source, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN " + type + "-----")) {
            throw new Arguments.UsageException("setup: " + source + " has no PEM " + type
                + (type.equals("PRIVATE KEY") ? " (PKCS#8: openssl pkcs8 -topk8 -nocrypt)" : ""));
        }
        writeAtomically(target, pem, "rw-------");
    }

    private static Properties existing(Path file) throws IOException {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        return properties;
    }

    static void writeAtomically(Path file, String text, String mode) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".setup");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        // Set, not created with: the creation mode passes through the caller's umask (under 077 the service user's
        // group would lose read access to sealgate.properties and the node would not start).
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(mode));
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            writer.write(text);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code link -> target}, unless the link is the target (configuration and data in one directory). */
    private static void link(Path link, Path target) throws IOException {
        if (link.equals(target)) {
            return;
        }
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
            return;
        }
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    static Path createDirectory(Path directory, String mode) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode));
        return directory;
    }

    /** The data directory to the service user; the configuration to root with the service user's group. */
    void chown() throws IOException {
        if (owner.isEmpty()) {
            return;
        }
        UserPrincipalLookupService lookup = data.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(owner.get());
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(owner.get());
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
                view.setOwner(user);
                view.setGroup(group);
            }
        }
        if (!config.equals(data)) {
            try (Stream<Path> files = Files.walk(config, 1)) {
                for (Path file : files.filter(f -> f.equals(config) || f.endsWith(NodeSettings.FILE_NAME)
                                                   || f.endsWith(POLICY_FILE)
                                                   || f.endsWith(ZooKeeperMemberConfig.FILE_NAME)
                                                   || f.endsWith("gina.properties") || f.endsWith("console.properties")).toList()) {
                    Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
                }
            }
        }
    }

    /** Properties syntax for a value: backslashes doubled (the values are host names, lists and paths). */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
