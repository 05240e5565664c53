package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.testing.CrlServer;
import org.sealgate.testing.RevocationPki;
import org.sealgate.testing.SmtpSink;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkLayout;

/**
 * Revocation shared by a cluster of two real gateway nodes (node B in its own JVM, started first so it leads the jobs;
 * node A in this JVM) on a real ZooKeeper, with a real CRL distribution point on loopback that counts its requests.
 * Node A fetches the partner CA's CRL on its first mail and shares it; the CA revokes the partner; the leader's CRL
 * refresh (B never mailed the partner) fetches the new CRL when due and shares it; node A then refuses to encrypt to
 * the partner without fetching the CRL itself.
 */
class ClusterRevocationTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String PARTNER = "carol@partner.example";

    @TempDir
    static Path work;
    static TestingServer zooKeeper;
    static ClusterAdmin admin;
    static SmtpSink sink;
    static CrlServer crls;
    static RevocationPki partnerCa;
    static IssuedIdentity partner;
    static NodeProcess nodeB;
    static Gateway nodeA;

    @BeforeAll
    static void startCluster() throws Exception {
        zooKeeper = new TestingServer(true);
        sink = SmtpSink.onFreePort();
        crls = new CrlServer();
        admin = new ClusterAdmin(zooKeeper.getConnectString(), work.resolve("admin"));
        ClusterAdmin.CliResult applied = admin.configApply(document(sink.hostPort()));
        assertThat(applied.status()).as("config apply: %s", applied.err()).isZero();
        partnerCa = RevocationPki.newCa("Partner CA");
        partner = partnerCa.issue(PARTNER, List.of(crls.uri()), List.of());
        admin.keys().addTrustAnchor(partnerCa.certificate());
        admin.keys().addCertificate(partner.certificate());
        org.sealgate.keys.CertificateIssuer demoCa = org.sealgate.keys.CertificateIssuer.newCa("Sealgate Test CA");
        admin.keys().addManagedIdentity(demoCa.issue(org.sealgate.keys.IssueRequest.forEmail(ALICE,
            org.sealgate.keys.KeyType.EC_P256)).toManagedIdentity(ALICE));

        int portB = admin.prepareNode(work.resolve("node-b"), "node-b", Optional.of(sink.hostPort()));
        ClusterSettings.set(work.resolve("node-b"), JobSettings.CRL, "1");
        nodeB = NodeProcess.start(work.resolve("node-b"), portB, work.resolve("node-b.log"));
        awaitLeader("node-b");
        admin.prepareNode(work.resolve("node-a"), "node-a", Optional.of(sink.hostPort()));
        ClusterSettings.set(work.resolve("node-a"), JobSettings.CRL, "1");
        nodeA = Gateway.restart(work.resolve("node-a"));
    }

    @AfterAll
    static void stopCluster() {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeA, nodeB, admin, crls, sink, zooKeeper}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // keep closing the others
                }
            }
        }
    }

    @Test
    void theOtherNodeShouldRefuseARevokedPartnerWithinOneRefreshOfTheLeaderWithoutFetchingItself() throws Exception {
        // A CRL due for refresh in about 60 s (a tenth of its validity before nextUpdate), not listing the partner.
        Instant now = Instant.now();
        crls.serve(RevocationPki.der(partnerCa.crl(List.of(), now.minusSeconds(100), now.plusSeconds(78))));
        send("crl-before");
        MimeMessage first = sink.awaitOne(PARTNER, "crl-before");
        assertThat(first.getContentType()).contains("application/pkcs7-mime");
        assertThat(crls.requests()).as("node A fetched the CRL on its first mail").isEqualTo(1);
        byte[] firstShared = awaitShared(entry -> entry.length > 0);

        // The CA revokes the partner. Node B leads and never mailed the partner: its refresh relays the new CRL.
        crls.serve(RevocationPki.der(partnerCa.crl(List.of(partner.certificate()), Instant.now(),
            Instant.now().plus(Duration.ofHours(1)))));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
            .until(() -> crls.requests() >= 2);
        awaitShared(entry -> !java.util.Arrays.equals(entry, firstShared));
        Thread.sleep(1_000); // node A's copy of the folder follows within milliseconds; leave it a second

        send("crl-after");
        Map<String, Object> event = nodeA.awaitAuditEvent("crl-after");
        assertThat(event).containsEntry("outcome", "bounced");
        assertThat(event.get("reason").toString()).contains("revoked").contains(crls.uri().toString());
        assertThat(sink.messagesFor(PARTNER)).hasSize(1);
        assertThat(crls.requests()).as("one fetch by node A at first, one by the leader: node A adopted the leader's")
            .isEqualTo(2);
        assertThat(nodeA.node().leadsJobs()).isFalse();
    }

    private static void send(String id) throws Exception {
        assertThat(SmtpClient.send(nodeA.smtpPort(), ALICE, List.of(PARTNER),
            TestMails.plain(ALICE, List.of(PARTNER), "Revocation", id, "revocation body")).code()).isEqualTo(250);
    }

    /** The shared entry for the CRL server's URI once it satisfies {@code condition}. */
    private static byte[] awaitShared(java.util.function.Predicate<byte[]> condition) throws Exception {
        String name = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest(crls.uri().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try (CuratorFramework reader = ZkClients.node(zooKeeper.getConnectString(), ZkClients.DEFAULT_NAMESPACE,
            new DigestCredentials("node", "node-secret"))) {
            reader.start();
            String path = ZkLayout.child(ZkLayout.REVOCATION_CRLS, name);
            return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                reader.checkExists().forPath(path) == null ? new byte[0] : reader.getData().forPath(path), condition);
        }
    }

    /** Waits until the node's candidate is first in line under /jobs/leader. */
    private static void awaitLeader(String nodeId) throws Exception {
        try (CuratorFramework reader = ZkClients.node(zooKeeper.getConnectString(), ZkClients.DEFAULT_NAMESPACE,
            new DigestCredentials("node", "node-secret"))) {
            reader.start();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                List<String> line = reader.checkExists().forPath(ZkLayout.JOBS_LEADER) == null ? List.of()
                    : reader.getChildren().forPath(ZkLayout.JOBS_LEADER);
                return line.size() == 1 && line.get(0).contains("c-" + nodeId + "-");
            });
        }
    }

    private static String document(String nextHop) {
        return """
            schema-version: 1
            domains:
              - name: demo.sealgate.test
                sign: false
              - name: partner.example
                encrypt: required
                revocation: require
            trusted-networks: [127.0.0.1/32]
            next-hop: %s
            gina: {host-name: gina.demo.sealgate.test, port: 8443}
            vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
            nodes:
              - {id: node-a, addresses: [127.0.0.1], role: primary, priority: 150}
              - {id: node-b, addresses: [127.0.0.1], role: secondary, priority: 100}
            """.formatted(nextHop);
    }
}
