package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.mail.internet.MimeMessage;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.cli.ClusterDocuments;
import org.sealgate.cli.KeysCommand;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.testing.OpenPgpTools;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.SmtpSink;
import org.sealgate.zk.keys.ZkDiscoveredKeyStore;
import org.sealgate.zk.keys.ZkDiscoveredKeyStores;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/**
 * Discovered keys shared by two real nodes (one in this JVM, one in its own) through one real ZooKeeper, over real
 * SMTP, with a real key server (HKP over HTTP on loopback, JDK HttpServer) and GnuPG holding the recipient's secret
 * key: what node A discovers node B uses without asking; a revocation published later is learned once the positive
 * TTL (one minute here) is over and stops the key on both nodes; a key a node-identity client plants under another
 * address is never used. Takes about three minutes (two node starts, the one-minute TTL).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiscoveredKeysClusterTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String HENRY = "henry@keys.example";   // OpenPGP key only at the key server
    private static final String VERA = "vera@keys.example";     // nothing published; a planted entry in ZooKeeper
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @TempDir
    static Path work;
    static TestingServer zooKeeper;
    static SmtpSink receiver;
    static ClusterAdmin admin;
    static Gateway nodeA;
    static NodeProcess nodeB;
    static OpenPgpTools tools;
    static HttpServer hkp;
    static final Map<String, byte[]> published = new ConcurrentHashMap<>();
    static final List<String> searches = new CopyOnWriteArrayList<>();
    static final AtomicBoolean hkpUp = new AtomicBoolean(true);

    @BeforeAll
    static void startCluster() throws Exception {
        Prerequisites.require(OpenPgpTools.gpgAvailable(), "gpg (Debian package gnupg)");
        tools = new OpenPgpTools();
        published.put(HENRY, tools.gpgGenerateKey("Henry <" + HENRY + ">"));
        hkp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        hkp.createContext("/pks/lookup", DiscoveredKeysClusterTest::lookup);
        hkp.start();

        zooKeeper = new TestingServer(true);
        receiver = SmtpSink.onFreePort();
        admin = new ClusterAdmin(zooKeeper.getConnectString(), work.resolve("admin"));
        ClusterAdmin.CliResult applied = admin.configApply(ClusterDocuments.twoNodesDiscovering("keys.example", "hkp"));
        assertThat(applied.status()).as(applied.err()).isZero();
        CertificateIssuer demoCa = CertificateIssuer.newCa("Discovery Cluster CA");
        admin.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));

        Path dataA = work.resolve("node-a");
        admin.prepareNode(dataA, "node-a", Optional.of(receiver.hostPort()));
        discoverySettings(dataA);
        nodeA = Gateway.restart(dataA);
        Path dataB = work.resolve("node-b");
        int portB = admin.prepareNode(dataB, "node-b", Optional.of(receiver.hostPort()));
        discoverySettings(dataB);
        nodeB = NodeProcess.start(dataB, portB, work.resolve("node-b.log"));
    }

    private static void discoverySettings(Path data) throws IOException {
        Files.writeString(data.resolve(NodeSettings.FILE_NAME), String.join("\n",
            "discovery.bound-ms=4000",
            "discovery.hkp.servers=http://127.0.0.1:" + hkp.getAddress().getPort(),
            "discovery.hkp.allow-plain-http=true",
            "discovery.hkp.timeout-ms=1500",
            "discovery.cache.positive-minutes=1",
            "discovery.cache.negative-minutes=1",
            "") , StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** HKP: the published key, 404 for unknown addresses, 503 while "down"; every request counted. */
    private static void lookup(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            String search = URLDecoder.decode(query.substring(query.indexOf("search=") + 7), StandardCharsets.UTF_8);
            searches.add(search);
            byte[] key = published.get(search);
            if (!hkpUp.get() || key == null) {
                exchange.sendResponseHeaders(hkpUp.get() ? 404 : 503, -1);
                return;
            }
            exchange.sendResponseHeaders(200, key.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(key);
            }
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeB, nodeA, admin, receiver, zooKeeper, tools}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (hkp != null) {
            hkp.stop(0);
        }
    }

    @Test
    @Order(1)
    void keyDiscoveredOnNodeAShouldBeUsedByNodeBWithoutAskingTheSource() throws Exception {
        send(nodeA.smtpPort(), HENRY, "shared-a");
        assertDecryptsForHenry("shared-a");
        assertThat(policyOf(nodeA.awaitAuditEvent("shared-a"), HENRY)).startsWith("pgp (")
            .contains("discovery: found OPENPGP key at hkp http://127.0.0.1:" + hkp.getAddress().getPort());
        assertThat(searches).containsExactly(HENRY);

        // In ZooKeeper, with its source, for the admin's listing.
        String source = "source hkp http://127.0.0.1:" + hkp.getAddress().getPort();
        Awaitility.await().atMost(WITHIN).until(() -> keysList().contains(HENRY));
        assertThat(keysList()).contains(HENRY + "  OpenPGP v4").contains(source);

        hkpUp.set(false);
        send(nodeB.smtpPort(), HENRY, "shared-b");
        assertDecryptsForHenry("shared-b");
        assertThat(policyOf(awaitAudit(nodeB.data(), "shared-b"), HENRY)).startsWith("pgp (")
            .doesNotContain("discovery");
        assertThat(searches).as("node B asked no source").containsExactly(HENRY);
    }

    @Test
    @Order(2)
    void revocationPublishedLaterShouldStopTheKeyOnBothNodesOnceItsTtlIsOver() throws Exception {
        OpenPGPKey secret = PgpKeys.read(tools.gpgExportSecret(HENRY)) instanceof OpenPGPKey key ? key : null;
        assertThat(secret).isNotNull();
        OpenPGPCertificate revoked = PgpKeys.api().editKey(secret).revokeKey().done().toCertificate();
        published.put(HENRY, PgpKeys.armored(revoked).getBytes(StandardCharsets.US_ASCII));
        hkpUp.set(true);
        // Past the one-minute positive TTL of the stored key (bounded: at most 90 s from now).
        Instant found = sharedFoundAt();
        Duration wait = Duration.between(Instant.now(), found.plus(Duration.ofSeconds(62)));
        if (!wait.isNegative()) {
            Thread.sleep(Math.min(wait.toMillis(), 90_000));
        }

        send(nodeB.smtpPort(), HENRY, "revoked-b");
        Map<String, Object> onB = awaitAudit(nodeB.data(), "revoked-b");
        assertThat(onB).containsEntry("outcome", "bounced");
        assertThat(policyOf(onB, HENRY)).startsWith("bounce (").contains("revoked");
        send(nodeA.smtpPort(), HENRY, "revoked-a");
        Map<String, Object> onA = nodeA.awaitAuditEvent("revoked-a");
        assertThat(onA).containsEntry("outcome", "bounced");
        assertThat(policyOf(onA, HENRY)).startsWith("bounce (").contains("revoked");
        assertThat(receiver.messagesFor(HENRY)).as("nothing more for Henry, least of all in clear").hasSize(2);
        assertThat(keysList()).contains(HENRY).contains("NOT USABLE: revoked");
    }

    @Test
    @Order(3)
    void keyPlantedUnderAnotherAddressByANodeIdentityClientShouldNotBeUsed() throws Exception {
        OpenPGPKey mallory = PgpKeys.generate("Mallory <mallory@evil.example>", 4);
        DigestCredentials node = DigestCredentials.fromFile(admin.nodeCredentials);
        try (CuratorFramework client = ZkClients.node(zooKeeper.getConnectString(), ZkClients.DEFAULT_NAMESPACE, node);
             ZkDiscoveredKeyStore planter = ZkDiscoveredKeyStores.forNode(client, node.identity(), work.resolve("planter.json"))) {
            client.start();
            planter.start();
            assertThat(planter.awaitInitialized(WITHIN)).isTrue();
            planter.store(DiscoveredKey.openPgp(VERA, "wkd https://openpgpkey.keys.example", Instant.now(),
                mallory.toCertificate()));
            Awaitility.await().atMost(WITHIN).until(() -> keysList().contains(VERA));
        }

        send(nodeA.smtpPort(), VERA, "planted");
        Map<String, Object> event = nodeA.awaitAuditEvent("planted");
        assertThat(event).containsEntry("outcome", "bounced");
        assertThat(policyOf(event, VERA)).startsWith("bounce (")
            .contains("discovered OpenPGP key " + PgpKeys.fingerprint(mallory)).contains("does not name it (ignored)");
        assertThat(receiver.messagesFor(VERA)).isEmpty();
    }

    private static Instant sharedFoundAt() throws Exception {
        String line = keysList().lines().filter(l -> l.contains(HENRY)).findFirst().orElseThrow();
        return Instant.parse(line.substring(line.indexOf("found ") + 6).trim());
    }

    private static void send(int port, String to, String id) throws Exception {
        assertThat(SmtpClient.send(port, ALICE, List.of(to), TestMails.plain(ALICE, List.of(to), "hello", id,
            "secret plans " + id)).code()).isEqualTo(250);
    }

    private static void assertDecryptsForHenry(String id) throws Exception {
        MimeMessage received = receiver.awaitOne(HENRY, id);
        assertThat(received.getContentType()).contains("multipart/encrypted");
        tools.write(id + ".asc", PgpMails.payload(received));
        OpenPgpTools.Result decrypted = tools.gpg("--decrypt", id + ".asc");
        assertThat(decrypted.ok()).as(decrypted.toString()).isTrue();
        assertThat(decrypted.out()).contains("secret plans " + id);
    }

    private static String keysList() throws Exception {
        List<String> args = new ArrayList<>(List.of("list", "--zk", zooKeeper.getConnectString(),
            "--admin-credentials", admin.adminCredentials.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(KeysCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> awaitAudit(Path data, String messageIdFragment) {
        Callable<Optional<Map<String, Object>>> find = () -> Gateway.auditEvents(data).stream()
            .filter(e -> String.valueOf(e.get("messageId")).contains(messageIdFragment)).findFirst();
        return Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).until(find, Optional::isPresent)
            .orElseThrow();
    }

    private static String policyOf(Map<String, Object> event, String address) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> recipients = (List<Map<String, Object>>) event.get("recipients");
        return recipients.stream().filter(r -> address.equalsIgnoreCase(r.get("recipient").toString())).findFirst()
            .map(r -> String.valueOf(r.get("policy"))).orElseThrow();
    }
}
