package org.sealgate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * What {@code sealgate setup} needs to know, from a {@code key=value} file ({@code --from FILE}) or asked on the
 * terminal. Keys (defaults in brackets):
 *
 * <pre>
 * node.id [host name]              node.role = primary | secondary [primary]
 * node.hostname [node.id]          domains.managed = a.example,b.example (required)
 * smtp.host [0.0.0.0]  smtp.port [25]  smtp.trusted-networks [127.0.0.1/32]
 * delivery.relay = HOST:PORT       the next hop (empty: mail is stored to DATA/mail, for trying it out)
 * cluster = standalone | join | new [standalone]: local policy and keys / an existing ZooKeeper ensemble /
 *                                  start a new cluster, this node its first ZooKeeper member
 * node.addresses [smtp.host, or the host's first address]  the addresses listed in the cluster document
 * zk.connect, zk.credentials = FILE (node:password), zk.admin-credentials = FILE (join: then cluster join runs)
 * zk.tls = on | off               [on for new, off for join] ZooKeeper over TLS with client certificates
 * zk.tls.identity = FILE          join + TLS: the NAME.properties that cluster tls-issue wrote (with its .p12,
 *                                  .p12.password and ca.pem beside it), copied into DATA/zk-tls
 * zk.host [127.0.0.1]  zk.port [2281 TLS, 2181 plain]  zk.quorum-ports [2888:3888]   (new: this ZooKeeper member)
 * vip.address, vip.interface, vip.router-id [51]   (new: the first document's VIP)
 * master-key = create | FILE       [create] the cluster master key (join and new)
 * gina = on | off                  [on for new; join: on when gina.credentials is given] the GINA portal (gina init)
 * gina.host-name [gina.FIRST-DOMAIN]  gina.port [8443]
 * gina.credentials, gina.keys, gina.session-keys = FILE   join: the first node's secrets/zk-gina.credentials,
 *                                  gina/gina.keys and gina/session.keys (the same on every node)
 * tls.portal.cert, tls.portal.key = FILE  the portal's certificate chain and PKCS#8 key (empty: self-signed)
 * console = on | off               [off] the admin console unit's settings (console.port [9443], console.host)
 * tls.smtp.cert, tls.smtp.key = FILE  the SMTP certificate chain and PKCS#8 key (empty: self-signed at first start)
 * </pre>
 *
 * Secrets are never asked for inline: only as files the administrator already protects.
 */
record SetupAnswers(Map<String, String> values) {
    static final String STANDALONE = "standalone";
    static final String JOIN = "join";
    static final String NEW = "new";
    private static final Set<String> KEYS = Set.of("node.id", "node.role", "node.hostname", "domains.managed",
        "smtp.host", "smtp.port", "smtp.trusted-networks", "delivery.relay", "cluster", "zk.connect",
        "zk.credentials", "zk.admin-credentials", "master-key", "tls.smtp.cert", "tls.smtp.key", "admin.host",
        "admin.port", "node.addresses", "zk.tls", "zk.tls.identity", "zk.host", "zk.port", "zk.quorum-ports",
        "vip.address", "vip.interface", "vip.router-id", "gina", "gina.host-name", "gina.port", "gina.credentials",
        "gina.keys", "gina.session-keys", "tls.portal.cert", "tls.portal.key", "console", "console.host", "console.port");

    SetupAnswers {
        values = Map.copyOf(values);
        for (String key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw new Arguments.UsageException("setup: unknown key '" + key + "' (known: " + KEYS + ")");
            }
        }
        String cluster = values.getOrDefault("cluster", STANDALONE);
        if (!cluster.equals(STANDALONE) && !cluster.equals(JOIN) && !cluster.equals(NEW)) {
            throw new Arguments.UsageException("setup: cluster is 'standalone', 'join' or 'new', not '" + cluster + "'");
        }
        for (String flag : List.of("zk.tls", "gina", "console")) {
            String value = values.getOrDefault(flag, "");
            if (!value.isEmpty() && !value.equals("on") && !value.equals("off")) {
                throw new Arguments.UsageException("setup: " + flag + " is 'on' or 'off', not '" + value + "'");
            }
        }
        if (cluster.equals(JOIN) && "on".equals(values.get("zk.tls")) && values.getOrDefault("zk.tls.identity", "").isBlank()) {
            throw new Arguments.UsageException("setup: zk.tls = on needs zk.tls.identity = FILE (the NAME.properties from"
                + " sealgate cluster tls-issue) when joining");
        }
        if (cluster.equals(JOIN) && "on".equals(values.get("gina")) && (values.getOrDefault("gina.credentials", "").isBlank()
                                                                     || values.getOrDefault("gina.keys", "").isBlank()
                                                                     || values.getOrDefault("gina.session-keys", "").isBlank())) {
            throw new Arguments.UsageException("setup: gina = on needs gina.credentials, gina.keys and gina.session-keys (files"
                + " from the first node: DATA/secrets/zk-gina.credentials, DATA/gina/gina.keys, DATA/gina/session.keys) when joining");
        }
        if (cluster.equals(JOIN) && "on".equals(values.get("console")) && values.getOrDefault("zk.admin-credentials", "").isBlank()) {
            throw new Arguments.UsageException("setup: console = on needs zk.admin-credentials when joining (the console works as admin)");
        }
        if (cluster.equals(STANDALONE) && "on".equals(values.get("console"))) {
            throw new Arguments.UsageException("setup: console = on needs a cluster (join or new): the console works on ZooKeeper");
        }
        if (values.getOrDefault("tls.portal.cert", "").isBlank() != values.getOrDefault("tls.portal.key", "").isBlank()) {
            throw new Arguments.UsageException("setup: tls.portal.cert and tls.portal.key go together");
        }
        String role = values.getOrDefault("node.role", "primary");
        if (!role.equals("primary") && !role.equals("secondary")) {
            throw new Arguments.UsageException("setup: node.role is 'primary' or 'secondary', not '" + role + "'");
        }
        if (values.getOrDefault("domains.managed", "").isBlank()) {
            throw new Arguments.UsageException("setup: domains.managed is required (the domains this gateway protects)");
        }
        if (cluster.equals(JOIN) && (values.getOrDefault("zk.connect", "").isBlank()
                                     || values.getOrDefault("zk.credentials", "").isBlank())) {
            throw new Arguments.UsageException("setup: cluster = join needs zk.connect and zk.credentials (a file)");
        }
        if (values.getOrDefault("tls.smtp.cert", "").isBlank() != values.getOrDefault("tls.smtp.key", "").isBlank()) {
            throw new Arguments.UsageException("setup: tls.smtp.cert and tls.smtp.key go together");
        }
    }

    static SetupAnswers fromFile(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k).strip()));
        return new SetupAnswers(values);
    }

    /**
     * Asks each question on {@code out}, reading answers from {@code in}; an empty answer takes the default shown
     * (on a re-run: the value in force). Bounded: gives up on end of input.
     */
    static SetupAnswers ask(BufferedReader in, PrintStream out, Map<String, String> current) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        Prompt prompt = new Prompt(in, out, current, values);
        String id = prompt.ask("node.id", "Node id (its name in the cluster)", hostName());
        prompt.ask("node.role", "Role (primary | secondary)", "primary");
        prompt.ask("node.hostname", "Host name the node greets with (EHLO)", id);
        prompt.ask("domains.managed", "Managed domains (comma-separated)", null);
        prompt.ask("smtp.host", "SMTP listen address", "0.0.0.0");
        prompt.ask("smtp.port", "SMTP port", "25");
        prompt.ask("smtp.trusted-networks", "Networks allowed to relay (CIDR, comma-separated)", "127.0.0.1/32");
        prompt.ask("delivery.relay", "Next hop HOST:PORT (empty: store mail to files)", "");
        String cluster = prompt.ask("cluster", "Cluster: standalone, join an existing ZooKeeper ensemble, or new", STANDALONE);
        if (cluster.equals(NEW)) {
            prompt.ask("zk.host", "Address this node's ZooKeeper serves on (the other nodes reach it there)", "127.0.0.1");
            prompt.ask("vip.address", "Virtual IP address the nodes share (VRRP)", null);
            prompt.ask("gina.host-name", "Host name of the GINA web portal", null);
            prompt.ask("console", "Admin web console on this node (on | off)", "off");
        }
        if (cluster.equals(JOIN)) {
            prompt.ask("zk.connect", "ZooKeeper connect string (host:port,...)", null);
            prompt.ask("zk.credentials", "File with this node's ZooKeeper credentials (node:password)", null);
            prompt.ask("zk.admin-credentials", "File with admin credentials to check the join (empty: skip)", "");
            prompt.ask("master-key", "Cluster master key: 'create' or the key FILE from the first node", "create");
        }
        String cert = prompt.ask("tls.smtp.cert", "SMTP certificate chain PEM FILE (empty: self-signed)", "");
        if (!cert.isEmpty()) {
            prompt.ask("tls.smtp.key", "SMTP private key PEM FILE (PKCS#8)", null);
        }
        values.values().removeIf(String::isEmpty);
        return new SetupAnswers(values);
    }

    String get(String key, String fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    Optional<String> optional(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    String nodeId() {
        return get("node.id", hostName());
    }

    boolean joins() {
        return get("cluster", STANDALONE).equals(JOIN);
    }

    boolean newCluster() {
        return get("cluster", STANDALONE).equals(NEW);
    }

    /** Joins or starts a cluster: ZooKeeper holds the configuration and keys. */
    boolean clustered() {
        return joins() || newCluster();
    }

    boolean zkTls() {
        return get("zk.tls", newCluster() ? "on" : "off").equals("on");
    }

    boolean gina() {
        return clustered() && get("gina", newCluster() || optional("gina.credentials").isPresent() ? "on" : "off").equals("on");
    }

    boolean console() {
        return clustered() && get("console", "off").equals("on");
    }

    org.sealgate.zk.config.NodeRole role() {
        return get("node.role", "primary").equals("primary")
            ? org.sealgate.zk.config.NodeRole.PRIMARY : org.sealgate.zk.config.NodeRole.SECONDARY;
    }

    String ginaHostName() {
        return get("gina.host-name", "gina." + managedDomains().get(0));
    }

    List<String> trustedNetworks() {
        return List.of(get("smtp.trusted-networks", "127.0.0.1/32").split(",")).stream()
            .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The addresses the cluster document lists: as answered, else the SMTP address, else this host's first. */
    List<String> nodeAddresses() {
        Optional<String> given = optional("node.addresses");
        if (given.isPresent()) {
            return List.of(given.get().split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        String smtp = get("smtp.host", "0.0.0.0");
        if (!smtp.equals("0.0.0.0") && !smtp.equals("::")) {
            return List.of(smtp);
        }
        return List.of(firstAddress());
    }

    private static String firstAddress() {
        try {
            return java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address).map(InetAddress::getHostAddress).sorted()
                .findFirst().orElse("127.0.0.1");
        } catch (java.net.SocketException e) {
            return "127.0.0.1";
        }
    }

    List<String> managedDomains() {
        return List.of(get("domains.managed", "").split("\\s*,\\s*")).stream()
            .map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty()).toList();
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "sealgate";
        }
    }

    /** One question at a time; keeps the answers in order. */
    private record Prompt(BufferedReader in, PrintStream out, Map<String, String> current, Map<String, String> values) {
        String ask(String key, String question, String fallback) throws IOException {
            String shown = current.getOrDefault(key, fallback);
            for (int attempt = 0; attempt < 5; attempt++) {
                out.print(question + (shown == null || shown.isEmpty() ? "" : " [" + shown + "]") + ": ");
                out.flush();
                String line = in.readLine();
                if (line == null) {
                    throw new Arguments.UsageException("setup: no answer for " + key + " (end of input)");
                }
                String answer = line.strip().isEmpty() ? (shown == null ? "" : shown) : line.strip();
                if (!answer.isEmpty() || fallback != null) {
                    values.put(key, answer);
                    return answer;
                }
                out.println("  an answer is required");
            }
            throw new Arguments.UsageException("setup: no answer for " + key);
        }
    }
}
