package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import javax.mail.internet.MimeMessage;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.data.Stat;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.zk.registry.NodeStatus;
import org.sealgate.zk.store.ZkLayout;
import org.sealgate.testing.SmtpSink;

/**
 * Two gateway nodes (real James: node A in this JVM, node B in its own) on one three-server ZooKeeper ensemble:
 * configuration and keys shared through ZooKeeper, and what happens when servers die, the quorum goes, a session
 * expires and a node restarts while ZooKeeper is down. The steps build on each other, hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterNodesTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final String DAVE = "dave@partner.example";     // nobody has a certificate for Dave
    private static final String FRANK = "frank@partner.example";   // harvested from his signature on node A
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @TempDir
    static Path work;
    static TestingCluster ensemble;
    static SmtpSink receiver;
    static ClusterAdmin admin;
    static Gateway nodeA;
    static NodeProcess nodeB;
    static CertificateIssuer partnerCa;
    static IssuedIdentity frank;
    static final List<InstanceSpec> killed = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        ensemble = new TestingCluster(3);
        ensemble.start();
        receiver = SmtpSink.onFreePort();
        admin = new ClusterAdmin(ensemble.getConnectString(), work.resolve("admin"));
        apply(document("opportunistic", 1));
        CertificateIssuer demoCa = CertificateIssuer.newCa("Cluster Demo CA");
        partnerCa = CertificateIssuer.newCa("Cluster Partner CA");
        admin.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
        // Bob receives mail from outside: he must be a known recipient (a managed key), else 550 at RCPT.
        admin.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(BOB, KeyType.RSA_2048)).toManagedIdentity(BOB));
        admin.keys().addTrustAnchor(partnerCa.certificate());
        frank = partnerCa.issue(IssueRequest.forEmail(FRANK, KeyType.RSA_2048));

        nodeA = admin.startNode(work.resolve("node-a"), "node-a", Optional.of(receiver.hostPort()));
        int portB = admin.prepareNode(work.resolve("node-b"), "node-b", Optional.of(receiver.hostPort()));
        nodeB = NodeProcess.start(work.resolve("node-b"), portB, work.resolve("node-b.log"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeB, nodeA, admin, receiver, ensemble}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    @Order(1)
    void configApplyShouldSwitchBothNodesToEncryptionRequiredWithoutRestart() throws Exception {
        send(nodeA.smtpPort(), DAVE, "a-v1");
        send(nodeB.smtpPort(), DAVE, "b-v1");
        assertThat(SmtpSink.text(receiver.awaitOne(DAVE, "a-v1"))).contains("hello");
        receiver.awaitOne(DAVE, "b-v1");

        apply(document("required", 2));
        awaitBothAt(2);
        String status = admin.clusterStatus().out();
        assertThat(status).contains("configuration version 2").containsPattern("node-a +primary +127\\.0\\.0\\.1:\\d+ +2 ")
            .containsPattern("node-b +secondary +127\\.0\\.0\\.1:\\d+ +2 ");

        send(nodeA.smtpPort(), DAVE, "a-v2");
        send(nodeB.smtpPort(), DAVE, "b-v2");
        assertThat(awaitAudit(nodeA.layout().data(), "a-v2")).containsEntry("outcome", "bounced");
        assertThat(awaitAudit(nodeB.data(), "b-v2")).containsEntry("outcome", "bounced");
        assertThat(receiver.messagesFor(DAVE)).extracting(SmtpSink::messageId)
            .noneMatch(id -> id.contains("a-v2") || id.contains("b-v2"));
    }

    @Test
    @Order(2)
    void aBadVersionWrittenAroundTheCliShouldBeRefusedByBothNodesInLogsHealthAndAudit() throws Exception {
        admin.writeAroundTheCli("schema-version: 1\ndomains:\n  - name: partner.example\n    encrypt: sometimes\n");
        Awaitility.await().atMost(WITHIN).until(() -> nodeA.clusterConfigHealth().lastRejected().isPresent());
        assertThat(nodeA.clusterConfigHealth().version()).contains(2);
        Awaitility.await().atMost(WITHIN).until(() -> registryEntry("node-b").health().contains("version 3 in ZooKeeper refused"));
        assertThat(awaitAudit(nodeB.data(), "config-version-3")).containsEntry("outcome", "config-refused");
        assertThat(awaitAudit(nodeA.layout().data(), "config-version-3").get("reason").toString()).contains("keeping version 2");
        assertThat(nodeB.log()).contains("Configuration version 3 in ZooKeeper refused, keeping version 2");

        apply(document("required", 4));
        awaitBothAt(4);
    }

    @Test
    @Order(3)
    void aCertificateHarvestedOnNodeAShouldBeUsedByNodeB() throws Exception {
        byte[] signed = OpenSslChecks.openssl(work, "Content-Type: text/plain\r\n\r\nsigned by Frank\r\n"
            .getBytes(StandardCharsets.US_ASCII), "cms", "-sign", "-signer", pem(frank), "-inkey", key(frank), "-md", "sha256");
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        text = text.replaceFirst("^MIME-Version: 1\\.0\r?\n", "");
        byte[] message = TestMails.wrap(FRANK, List.of(BOB), "Signed", "frank-signed", text.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(SmtpClient.send(nodeA.smtpPort(), FRANK, List.of(BOB), message).code()).isEqualTo(250);
        assertThat(receiver.awaitOne(BOB, "frank-signed").getHeader("X-Sealgate-Signature", null))
            .isEqualTo("valid; signer=frank@partner.example");

        // Node B never saw Frank's mail; encryption is required for partner.example: it encrypts only with his certificate.
        Awaitility.await().atMost(WITHIN).until(() -> registryEntry("node-b").health().contains("keys from ZooKeeper: 1 certificates"));
        assertEncryptedForFrank(nodeB.smtpPort(), "b-to-frank");
    }

    @Test
    @Order(4)
    void mailShouldKeepFlowingAndConfigKeepApplyingWhenOneServerIsKilled() throws Exception {
        kill();
        assertEncryptedForFrank(nodeA.smtpPort(), "one-down-a");
        assertEncryptedForFrank(nodeB.smtpPort(), "one-down-b");
        apply(document("required", 5));
        awaitBothAt(5);
    }

    @Test
    @Order(5)
    void withoutQuorumNodesShouldRelayOnLastKnownGoodSayStaleAndRestartFromLocalCopies() throws Exception {
        kill();
        Awaitility.await().atMost(WITHIN).until(() -> nodeA.clusterConfigHealth().isStale());
        assertThat(nodeA.node().clusterHealthLine().orElseThrow()).startsWith("config stale since").contains("serving version 5");
        Awaitility.await().atMost(WITHIN).until(() -> nodeB.log().contains("serving configuration version 5 until ZooKeeper is back"));
        // The registry cannot be written now; on node B's host, 'cluster status --data' shows its own status instead.
        // The status file is written by the node's own thread, a moment after the node noticed.
        ClusterAdmin.CliResult local = Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofSeconds(1))
            .until(() -> admin.clusterStatusOn(nodeB.data()), result -> result.out().contains("config stale since"));
        assertThat(local.status()).isEqualTo(1);
        assertThat(local.err()).contains("cannot reach ZooKeeper");
        assertThat(local.out()).contains("this node's own status").containsPattern("node-b +secondary .* 5 +config stale since ");

        send(nodeA.smtpPort(), DAVE, "no-quorum-a");
        assertThat(awaitAudit(nodeA.layout().data(), "no-quorum-a")).containsEntry("outcome", "bounced");
        assertEncryptedForFrank(nodeA.smtpPort(), "no-quorum-a-frank");
        assertEncryptedForFrank(nodeB.smtpPort(), "no-quorum-b-frank");

        // Node B restarts while there is no quorum: configuration and keys from its local copies.
        nodeB.restart();
        assertThat(nodeB.log()).contains("Starting from configuration version 5").contains("starting anyway");
        send(nodeB.smtpPort(), DAVE, "restarted-b");
        assertThat(awaitAudit(nodeB.data(), "restarted-b")).containsEntry("outcome", "bounced");
        assertEncryptedForFrank(nodeB.smtpPort(), "restarted-b-frank");
    }

    @Test
    @Order(6)
    void nodesShouldRecoverWhenTheServersReturn() throws Exception {
        for (Iterator<InstanceSpec> it = killed.iterator(); it.hasNext(); ) {
            assertThat(ensemble.restartServer(it.next())).isTrue();
            it.remove();
        }
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> nodeA.clusterConfigHealth().isUpToDate());
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> registryEntry("node-b").configStaleSince() == null
            && registryEntry("node-b").configVersion() == 5);
        apply(document("required", 6));
        awaitBothAt(6);
        // Node A's entry returns once the server has dropped its old session (up to the 15 s session timeout).
        Awaitility.await().atMost(WITHIN).until(() -> registryEntry("node-a").configVersion() == 6
            && nodeA.node().clusterLink().isRegistered());
    }

    @Test
    @Order(7)
    void registryEntryShouldBeRecreatedAfterTheSessionExpired() throws Exception {
        String path = ZkLayout.child(ZkLayout.NODES, "node-a");
        Stat before = admin.adminClient().checkExists().forPath(path);
        KillSession.kill(nodeA.node().clusterLink().client().getZookeeperClient().getZooKeeper());
        Awaitility.await().atMost(WITHIN).until(() -> {
            Stat now = admin.adminClient().checkExists().forPath(path);
            return now != null && now.getEphemeralOwner() != before.getEphemeralOwner();
        });
        Awaitility.await().atMost(WITHIN).until(() -> nodeA.clusterConfigHealth().isUpToDate());
        send(nodeA.smtpPort(), DAVE, "after-expiry");
        assertThat(awaitAudit(nodeA.layout().data(), "after-expiry")).containsEntry("outcome", "bounced");
    }

    // ---- helpers ----

    private static String document(String partnerEncrypt, int revision) {
        return """
            # cluster test, revision %d
            schema-version: 1
            domains:
              - name: demo.sealgate.test
                sign: true
              - name: partner.example
                encrypt: %s
            trusted-networks: [127.0.0.1/32]
            gina: {host-name: gina.demo.sealgate.test, port: 8443}
            vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
            nodes:
              - {id: node-a, addresses: [127.0.0.1], role: primary, priority: 150}
              - {id: node-b, addresses: [127.0.0.1], role: secondary, priority: 100}
            """.formatted(revision, partnerEncrypt);
    }

    private static void apply(String document) throws Exception {
        ClusterAdmin.CliResult result = admin.configApply(document);
        assertThat(result.status()).as("config apply: %s", result.err()).isZero();
    }

    private static void awaitBothAt(int version) {
        Awaitility.await().atMost(WITHIN).until(() -> nodeA.clusterConfigHealth().version().orElse(0) == version);
        Awaitility.await().atMost(WITHIN).until(() -> registryEntry("node-b").configVersion() == version);
    }

    private static NodeStatus registryEntry(String id) throws Exception {
        return admin.nodes().stream().filter(n -> n.id().equals(id)).findFirst()
            .orElse(new NodeStatus(id, List.of(), "", -1, "absent", "not registered", null));
    }

    private static void kill() throws Exception {
        InstanceSpec victim = ensemble.getInstances().stream().filter(s -> !killed.contains(s)).findFirst().orElseThrow();
        assertThat(ensemble.killServer(victim)).isTrue();
        killed.add(victim);
    }

    private static void send(int port, String to, String id) throws Exception {
        assertThat(SmtpClient.send(port, ALICE, List.of(to), TestMails.plain(ALICE, List.of(to), "hello", id, "hello " + id))
            .code()).isEqualTo(250);
    }

    private static void assertEncryptedForFrank(int port, String id) throws Exception {
        send(port, FRANK, id);
        MimeMessage received = receiver.awaitOne(FRANK, id);
        assertThat(received.getContentType()).contains("application/pkcs7-mime");
        assertThat(new String(OpenSslChecks.decrypt(work, SmtpSink.raw(received), frank), StandardCharsets.UTF_8))
            .contains("hello " + id);
    }

    private static Map<String, Object> awaitAudit(Path data, String messageIdFragment) {
        Callable<Optional<Map<String, Object>>> find = () -> Gateway.auditEvents(data).stream()
            .filter(e -> String.valueOf(e.get("messageId")).contains(messageIdFragment)).findFirst();
        return Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).until(find, Optional::isPresent).orElseThrow();
    }

    private static String pem(IssuedIdentity identity) throws Exception {
        Path file = Files.createTempFile(work, "cert", ".pem");
        Files.writeString(file, identity.certificatePem());
        return file.toString();
    }

    private static String key(IssuedIdentity identity) throws Exception {
        Path file = Files.createTempFile(work, "key", ".pem");
        Files.writeString(file, identity.privateKeyPem());
        return file.toString();
    }
}
