package org.sealgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.sealgate.node.ClusterSettings;
import org.sealgate.zk.tls.ZkTlsAuthority;

/**
 * The first node of a new cluster ({@code cluster = new}): the cluster's identities ({@link ClusterBootstrap}),
 * when {@code zk.tls = on} (the default) a ZooKeeper CA in {@code DATA/zk-tls} with the server's, the admin's, this
 * node's and the portal's identities (as {@code cluster tls-init} and {@code tls-issue} make them), the ensemble
 * member's {@code CONFIG/zookeeper.cfg} and {@code myid}, and the first cluster document
 * ({@value #INITIAL_DOCUMENT}, applied by {@code cluster join} when the store is empty). Existing files are kept,
 * so a re-run changes nothing that is already in use.
 */
final class NewClusterWriter {
    static final String INITIAL_DOCUMENT = "cluster-initial.yaml";
    static final String PKI = "zk-tls";
    static final String SERVER_IDENTITY = "zookeeper-1";
    static final String ADMIN_IDENTITY = "admin";
    static final String PORTAL_IDENTITY = "portal";

    private final Path config;
    private final Path data;

    NewClusterWriter(Path config, Path data) {
        this.config = config;
        this.data = data;
    }

    /** Writes what is missing; returns the {@code sealgate.properties} keys that point at it. */
    Map<String, String> write(SetupAnswers answers) throws IOException {
        ClusterBootstrap.admin(data);
        ClusterBootstrap.node(data);
        ClusterBootstrap.gina(data);
        ZooKeeperMemberConfig member = member(answers, data);
        Map<String, String> keys = new LinkedHashMap<>();
        if (answers.zkTls()) {
            Path pki = data.resolve(PKI);
            ZkTlsAuthority authority = Files.exists(pki.resolve(ZkTlsAuthority.CA_CERTIFICATE))
                ? ZkTlsAuthority.load(pki)
                : ZkTlsAuthority.create(pki, "Sealgate ZooKeeper CA", Instant.now());
            issueIfMissing(authority, pki, SERVER_IDENTITY, serverNames(member.host()));
            issueIfMissing(authority, pki, ADMIN_IDENTITY, List.of());
            issueIfMissing(authority, pki, nodeIdentity(answers.nodeId()), List.of());
            issueIfMissing(authority, pki, PORTAL_IDENTITY, List.of());
            String[] node = ClusterBootstrap.tlsSettings(pki, data, nodeIdentity(answers.nodeId()));
            for (int i = 0; i < node.length; i += 2) {
                keys.put(node[i], node[i + 1]);
            }
        }
        Path zooKeeperData = Files.createDirectories(data.resolve("zookeeper"));
        Files.setPosixFilePermissions(zooKeeperData, PosixFilePermissions.fromString("rwx------"));
        Path myId = zooKeeperData.resolve("myid");
        if (!Files.exists(myId)) {
            Files.writeString(myId, member.myId() + "\n", StandardCharsets.US_ASCII);
        }
        SetupWriter.writeAtomically(config.resolve(ZooKeeperMemberConfig.FILE_NAME), member.render(), "rw-r-----");
        Path document = data.resolve(INITIAL_DOCUMENT);
        if (!Files.exists(document)) {
            SetupWriter.writeAtomically(document, initialDocument(answers, member), "rw-------");
        }
        keys.put(ClusterSettings.CONNECT, member.connectString());
        return keys;
    }

    static ZooKeeperMemberConfig member(SetupAnswers answers, Path data) {
        int port;
        try {
            port = Integer.parseInt(answers.get("zk.port", answers.zkTls() ? "2281" : "2181"));
        } catch (NumberFormatException e) {
            throw new Arguments.UsageException("setup: zk.port is not a number: " + answers.get("zk.port", ""));
        }
        return new ZooKeeperMemberConfig(1, answers.get("zk.host", "127.0.0.1"), port,
            answers.get("zk.quorum-ports", "2888:3888"), data.resolve("zookeeper"),
            answers.zkTls() ? Optional.of(data.resolve(PKI)) : Optional.empty(), SERVER_IDENTITY);
    }

    /**
     * The names the server certificate carries: the answered host and, for a loopback address, {@code localhost}
     * (ZooKeeper's client checks the name it resolved the address to when the address itself does not match).
     */
    static List<String> serverNames(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress() && !host.equals("localhost")
                ? List.of(host, "localhost") : List.of(host);
        } catch (java.net.UnknownHostException e) {
            return List.of(host);
        }
    }

    /** A TLS identity name for the node: its id when that is a valid name, else {@code node}. */
    static String nodeIdentity(String nodeId) {
        String name = "node-" + nodeId.toLowerCase(java.util.Locale.ROOT);
        return name.matches("[a-z0-9._-]{1,64}") ? name : "node";
    }

    private static void issueIfMissing(ZkTlsAuthority authority, Path pki, String identity, List<String> hosts) throws IOException {
        if (!Files.exists(pki.resolve(identity + ".p12"))) {
            authority.issue(identity, hosts, Instant.now());
        }
    }

    /** This node, its role, domains, trusted networks and next hop from the answers; GINA and VIP as answered. */
    static String initialDocument(SetupAnswers answers, ZooKeeperMemberConfig member) {
        List<String> domains = answers.managedDomains();
        StringBuilder text = new StringBuilder("""
            # Sealgate cluster configuration, first version (written by sealgate setup, cluster = new).
            # Change it with: sealgate config show > cluster.yaml; edit; sealgate config apply cluster.yaml
            schema-version: 1
            domains:
              - name: "*"
                methods: [smime, pgp%s]
            """.formatted(answers.gina() ? ", gina" : ""));
        for (String domain : domains) {
            text.append("  - name: ").append(domain).append("\n    sign: true\n");
        }
        text.append("trusted-networks: [").append(String.join(", ", answers.trustedNetworks())).append("]\n");
        answers.optional("delivery.relay").ifPresent(relay -> text.append("next-hop: ").append(quote(relay)).append('\n'));
        text.append("gina: {host-name: ").append(answers.ginaHostName()).append(", port: ")
            .append(answers.get("gina.port", "8443")).append("}\n");
        text.append("vip: {address: ").append(quote(answers.get("vip.address", "127.0.0.2"))).append(", interface: ")
            .append(answers.get("vip.interface", ClusterBootstrap.vipInterface())).append(", virtual-router-id: ")
            .append(answers.get("vip.router-id", "51")).append("}\n");
        text.append("nodes:\n").append(NodeEntryLine.render(answers.nodeId(), answers.nodeAddresses(), answers.role())).append('\n');
        return text.toString();
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
