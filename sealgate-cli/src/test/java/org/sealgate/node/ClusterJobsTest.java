package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.routes.jobs.JobStatistics;
import org.sealgate.testing.SmtpSink;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkLayout;

/**
 * The cluster's scheduled jobs on two real gateway nodes (node B in its own JVM, started first so it leads; node A in
 * this JVM) on a real ZooKeeper: the expiry warning job runs on the leader only, its mail reaches the next hop once
 * for the certificate inside the window and never for the one outside, and SIGKILL of the leader moves the jobs to
 * node A within the session timeout plus a period, without sending the warning again.
 */
class ClusterJobsTest {
    private static final String ADMIN_ADDRESS = "pki@partner.example";
    private static final String SOON = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String LATER = "bob@" + Gateway.MANAGED_DOMAIN;
    /** ZooKeeper's session timeout for nodes (ZkClients), the job period below, and slack for a loaded machine. */
    private static final Duration TAKEOVER = Duration.ofSeconds(15 + 1 + 30);

    @TempDir
    static Path work;
    static TestingServer zooKeeper;
    static ClusterAdmin admin;
    static SmtpSink sink;
    static NodeProcess nodeB;
    static Gateway nodeA;

    @BeforeAll
    static void startCluster() throws Exception {
        zooKeeper = new TestingServer(true);
        sink = SmtpSink.onFreePort();
        admin = new ClusterAdmin(zooKeeper.getConnectString(), work.resolve("admin"));
        ClusterAdmin.CliResult applied = admin.configApply(document(sink.hostPort()));
        assertThat(applied.status()).as("config apply: %s", applied.err()).isZero();
        CertificateIssuer ca = CertificateIssuer.newCa("Jobs CA", KeyType.EC_P256);
        Instant now = Instant.now();
        admin.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(SOON, KeyType.EC_P256)
            .validity(now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(10)))).toManagedIdentity(SOON));
        admin.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(LATER, KeyType.EC_P256)
            .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(100)))).toManagedIdentity(LATER));

        int portB = admin.prepareNode(work.resolve("node-b"), "node-b", Optional.empty());
        ClusterSettings.set(work.resolve("node-b"), JobSettings.EXPIRY, "1");
        nodeB = NodeProcess.start(work.resolve("node-b"), portB, work.resolve("node-b.log"));
        awaitLeader("node-b");
        admin.prepareNode(work.resolve("node-a"), "node-a", Optional.empty());
        ClusterSettings.set(work.resolve("node-a"), JobSettings.EXPIRY, "1");
        nodeA = Gateway.restart(work.resolve("node-a"));
    }

    @AfterAll
    static void stopCluster() {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeA, nodeB, admin, sink, zooKeeper}) {
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
    void jobsShouldRunOnTheLeaderOnlyWarnOnceAndMoveWhenTheLeaderIsKilled() throws Exception {
        MimeMessage warning = Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
            .until(() -> sink.messagesFor(ADMIN_ADDRESS), list -> !list.isEmpty()).get(0);
        String text = SmtpSink.text(warning);
        assertThat(warning.getSubject()).isEqualTo("Sealgate: 1 managed key expires within 30 days");
        assertThat(text).contains(SOON, "S/MIME certificate").doesNotContain(LATER);
        assertThat(Gateway.auditEvents(work.resolve("node-b"))).anySatisfy(event -> {
            assertThat(event.get("outcome")).isEqualTo("expiry-warning");
            assertThat((String) event.get("reason")).contains(SOON);
        });

        // Node B leads: node A's timer ticks but never runs the job.
        JobStatistics statsA = nodeA.node().jobStatistics().orElseThrow();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> statsA.skipped("expiry-warnings") >= 3);
        assertThat(statsA.runs("expiry-warnings")).isZero();
        assertThat(nodeA.node().leadsJobs()).isFalse();

        // SIGKILL: B's session ends only when ZooKeeper expires it; then A leads and runs the job.
        nodeB.kill();
        Instant killed = Instant.now();
        Awaitility.await().atMost(TAKEOVER).pollInterval(Duration.ofMillis(100))
            .until(() -> statsA.runs("expiry-warnings") >= 1);
        Duration moved = Duration.between(killed, Instant.now());
        assertThat(nodeA.node().leadsJobs()).isTrue();
        // Several runs on the new leader: the warning B sent is remembered in ZooKeeper, not sent again.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> statsA.runs("expiry-warnings") >= 3);
        Thread.sleep(1_500); // the sink's settling time: a second mail would be visible now
        assertThat(sink.messagesFor(ADMIN_ADDRESS)).as("warnings after the jobs moved (in %s)", moved).hasSize(1);
        assertThat(statsA.failures("expiry-warnings")).isZero();
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
                sign: true
              - name: partner.example
                encrypt: opportunistic
            trusted-networks: [127.0.0.1/32]
            next-hop: %s
            gina: {host-name: gina.demo.sealgate.test, port: 8443}
            vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
            nodes:
              - {id: node-a, addresses: [127.0.0.1], role: primary, priority: 150}
              - {id: node-b, addresses: [127.0.0.1], role: secondary, priority: 100}
            notifications: {admin-address: %s, expiry-warning-days: 30}
            """.formatted(nextHop, ADMIN_ADDRESS);
    }
}
