package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.curator.test.TestingServer;
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
import org.sealgate.keys.KeyType;
import org.sealgate.testing.SmtpSink;
import org.sealgate.zk.registry.NodeStatus;

/**
 * Settings applied live from the cluster document on two real gateway nodes (node A in this JVM, node B in its own)
 * on a real ZooKeeper: {@code config apply} of a new next hop moves both nodes' delivery, mail already queued
 * included; a network removed from {@code trusted-networks} stops relaying at once; a change that needs a restart
 * says so in {@code cluster status} and the health line, and the note goes with the restart. The steps build on
 * each other, hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveSettingsTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String DAVE = "dave@partner.example";
    /** A client network the first documents trust and a later one removes (the "attacker" once it is removed). */
    private static final String REMOVED_CLIENT = "127.0.0.4";
    private static final Duration WITHIN = Duration.ofSeconds(90);

    @TempDir
    static Path work;
    static TestingServer zooKeeper;
    static ClusterAdmin admin;
    static SmtpSink sinkA;
    static SmtpSink sinkB;
    static Gateway nodeA;
    static NodeProcess nodeB;

    @BeforeAll
    static void startCluster() throws Exception {
        zooKeeper = new TestingServer(true);
        sinkA = SmtpSink.onFreePort();
        sinkB = SmtpSink.onFreePort();
        admin = new ClusterAdmin(zooKeeper.getConnectString(), work.resolve("admin"));
        apply(document(1, Optional.of(sinkA.hostPort()), "127.0.0.1/32, " + REMOVED_CLIENT + "/32"));
        CertificateIssuer ca = CertificateIssuer.newCa("Live Settings CA");
        admin.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
        // No delivery.relay in either node's sealgate.properties: the next hop is the document's.
        nodeA = admin.startNode(work.resolve("node-a"), "node-a", Optional.empty());
        int portB = admin.prepareNode(work.resolve("node-b"), "node-b", Optional.empty());
        nodeB = NodeProcess.start(work.resolve("node-b"), portB, work.resolve("node-b.log"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeB, nodeA, admin, sinkA, sinkB, zooKeeper}) {
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
    @Order(1)
    void aNewNextHopShouldReachBothNodesWithoutRestartMailQueuedBeforeIncluded() throws Exception {
        send(nodeA.smtpPort(), "127.0.0.1", "a-before");
        send(nodeB.smtpPort(), "127.0.0.1", "b-before");
        sinkA.awaitOne(DAVE, "a-before");
        sinkA.awaitOne(DAVE, "b-before");

        // Hop A goes down; mail accepted now waits in each node's queue for it.
        int portA = sinkA.port();
        sinkA.close();
        send(nodeA.smtpPort(), "127.0.0.1", "a-queued");
        send(nodeB.smtpPort(), "127.0.0.1", "b-queued");

        apply(document(2, Optional.of(sinkB.hostPort()), "127.0.0.1/32, " + REMOVED_CLIENT + "/32"));
        awaitBothAt(2);
        send(nodeA.smtpPort(), "127.0.0.1", "a-after");
        send(nodeB.smtpPort(), "127.0.0.1", "b-after");
        for (String id : List.of("a-queued", "b-queued", "a-after", "b-after")) {
            sinkB.awaitOne(DAVE, id);
        }
        // Hop A is back on its port: nothing more goes there (no retry of the queued mail, no new mail).
        sinkA = new SmtpSink(portA);
        send(nodeA.smtpPort(), "127.0.0.1", "a-later");
        send(nodeB.smtpPort(), "127.0.0.1", "b-later");
        sinkB.awaitOne(DAVE, "a-later");
        sinkB.awaitOne(DAVE, "b-later");
        assertThat(sinkA.messages()).isEmpty();
        assertThat(sinkB.messagesFor(DAVE)).extracting(SmtpSink::messageId)
            .noneMatch(id -> id.contains("-before"));
        assertThat(nodeA.node().clusterHealthLine().orElseThrow()).doesNotContain("restart required");
    }

    @Test
    @Order(2)
    void aClientWhoseNetworkWasRemovedShouldBeRefusedRelayingAtOnceWhileTheLegitClientStillRelays() throws Exception {
        send(nodeA.smtpPort(), REMOVED_CLIENT, "trusted-a");
        send(nodeB.smtpPort(), REMOVED_CLIENT, "trusted-b");
        // The attacker holds a session open from while it was trusted.
        try (SmtpClient heldOpen = new SmtpClient(REMOVED_CLIENT, nodeA.smtpPort())) {
            apply(document(3, Optional.of(sinkB.hostPort()), "127.0.0.1/32"));
            awaitBothAt(3);

            SmtpClient.Reply rcpt = rcptOutside(heldOpen);
            assertThat(rcpt.code()).as("relaying in a session opened while trusted: %s", rcpt.text()).isEqualTo(550);
        }
        for (int port : new int[] {nodeA.smtpPort(), nodeB.smtpPort()}) {
            try (SmtpClient attacker = new SmtpClient(REMOVED_CLIENT, port)) {
                SmtpClient.Reply rcpt = rcptOutside(attacker);
                assertThat(rcpt.code()).as("relaying from a removed network: %s", rcpt.text()).isEqualTo(550);
            }
        }
        send(nodeA.smtpPort(), "127.0.0.1", "legit-a");
        send(nodeB.smtpPort(), "127.0.0.1", "legit-b");
        sinkB.awaitOne(DAVE, "legit-a");
        sinkB.awaitOne(DAVE, "legit-b");
        assertThat(sinkB.messagesFor(DAVE)).extracting(SmtpSink::messageId).noneMatch(id -> id.contains("attack"));
    }

    @Test
    @Order(3)
    void aChangeThatNeedsARestartShouldSaySoInClusterStatusAndHealthUntilTheNodeRestarts() throws Exception {
        // No next hop at all: whether a node relays or stores mail to files is decided when it starts.
        apply(document(4, Optional.empty(), "127.0.0.1/32"));
        awaitBothAt(4);
        Awaitility.await().atMost(WITHIN).until(() -> registryEntry("node-b").health().contains("restart required: no next-hop"));
        assertThat(nodeA.node().clusterHealthLine().orElseThrow()).contains("restart required: no next-hop in version 4");
        assertThat(nodeA.node().restartRequired()).hasValueSatisfying(reason -> assertThat(reason).startsWith("restart required: "));
        assertThat(admin.clusterStatus().out()).containsPattern("node-a .*restart required: no next-hop")
            .containsPattern("node-b .*restart required: no next-hop");
        // Until then the node keeps relaying to the last next hop rather than dropping mail.
        send(nodeB.smtpPort(), "127.0.0.1", "b-kept-hop");
        sinkB.awaitOne(DAVE, "b-kept-hop");

        nodeB.restart();
        Awaitility.await().atMost(WITHIN).until(() -> {
            NodeStatus b = registryEntry("node-b");
            return b.configVersion() == 4 && !b.health().contains("restart required");
        });
        assertThat(admin.clusterStatus().out()).containsPattern("node-a .*restart required")
            .doesNotContainPattern("node-b .*restart required");
    }

    // ---- helpers ----

    private static String document(int revision, Optional<String> nextHop, String trustedNetworks) {
        return """
            # live settings test, revision %d
            schema-version: 1
            domains:
              - name: demo.sealgate.test
                sign: true
              - name: partner.example
                encrypt: opportunistic
            trusted-networks: [%s]
            %s
            gina: {host-name: gina.demo.sealgate.test, port: 8443}
            vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
            nodes:
              - {id: node-a, addresses: [127.0.0.1], role: primary, priority: 150}
              - {id: node-b, addresses: [127.0.0.1], role: secondary, priority: 100}
            """.formatted(revision, trustedNetworks, nextHop.map(hop -> "next-hop: " + hop).orElse(""));
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

    private static void send(int port, String source, String id) throws Exception {
        try (SmtpClient client = new SmtpClient(source, port)) {
            SmtpClient.Reply reply = client.mail(ALICE, List.of(DAVE), TestMails.plain(ALICE, List.of(DAVE), "hello", id,
                "hello " + id));
            assertThat(reply.code()).as("mail %s from %s: %s", id, source, reply.text()).isEqualTo(250);
        }
    }

    private static SmtpClient.Reply rcptOutside(SmtpClient client) throws Exception {
        assertThat(client.command("MAIL FROM:<" + ALICE + ">").code()).isEqualTo(250);
        return client.command("RCPT TO:<" + DAVE + ">");
    }
}
