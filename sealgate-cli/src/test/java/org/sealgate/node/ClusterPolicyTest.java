package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.cli.ClusterDocuments;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.SmtpSink;

/**
 * A real node whose policy comes from ZooKeeper (Curator TestingServer): {@code sealgate config apply} changes
 * what the running node does with the next mail, without a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterPolicyTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String DAVE = "dave@partner.example";   // nobody knows a certificate for Dave
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path work;
    static TestingServer zooKeeper;
    static SmtpSink receiver;
    static ClusterAdmin admin;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        zooKeeper = new TestingServer(true);
        receiver = SmtpSink.onFreePort();
        admin = new ClusterAdmin(zooKeeper.getConnectString(), work.resolve("admin"));
        assertThat(admin.configApply(ClusterDocuments.withPartner("opportunistic")).status()).isZero();
        CertificateIssuer ca = CertificateIssuer.newCa("Cluster Test CA");
        admin.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
        gateway = admin.startNode(work.resolve("data"), "node-a", Optional.of(receiver.hostPort()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
    }

    @Test
    @Order(1)
    void configApplyShouldSwitchARunningNodeToEncryptionRequiredAndABadVersionShouldNotUndoIt() throws Exception {
        assertThat(gateway.clusterConfigHealth().version()).contains(1);

        // Version 1: partner.example opportunistic, so mail to keyless Dave leaves in plain text.
        send("before-apply");
        MimeMessage plain = receiver.awaitOne(DAVE, "before-apply");
        assertThat(SmtpSink.text(plain)).contains("for Dave");
        assertThat(gateway.awaitAuditEvent("before-apply")).containsEntry("outcome", "relayed");

        // Version 2 through the CLI: encryption required. Same node, no restart: Dave's next mail is bounced.
        assertThat(admin.configApply(ClusterDocuments.withPartner("required")).status()).isZero();
        Awaitility.await().atMost(WITHIN).until(() -> gateway.clusterConfigHealth().version().orElse(0) == 2);
        send("after-apply");
        assertThat(gateway.awaitAuditEvent("after-apply")).containsEntry("outcome", "bounced");

        // Version 3 written around the CLI does not validate: refused, version 2 stays in force.
        admin.writeAroundTheCli("schema-version: 1\ndomains: []\nnodes: [garbage\n");
        Awaitility.await().atMost(WITHIN).until(() -> gateway.clusterConfigHealth().lastRejected().isPresent());
        assertThat(gateway.clusterConfigHealth().version()).contains(2);
        assertThat(gateway.clusterConfigHealth().message()).contains("version 3 in ZooKeeper refused");
        Awaitility.await().atMost(WITHIN).until(() -> gateway.auditEvents().stream()
            .anyMatch(e -> "config-refused".equals(e.get("outcome")) && "config-version-3".equals(e.get("messageId"))
                && String.valueOf(e.get("reason")).contains("keeping version 2")));
        send("after-bad-version");
        assertThat(gateway.awaitAuditEvent("after-bad-version")).containsEntry("outcome", "bounced");
        assertThat(receiver.messagesFor(DAVE)).extracting(SmtpSink::messageId)
            .noneMatch(id -> id.contains("after-apply") || id.contains("after-bad-version"));
    }

    @Test
    @Order(2)
    void trustedNetworksShouldComeFromTheDocumentAndAChangeShouldApplyWithoutRestart() throws Exception {
        // sealgate.properties trusts only 127.0.0.3/32 (see Gateway): relaying from 127.0.0.1 works by the document.
        send("trusted-by-document");
        gateway.awaitAuditEvent("trusted-by-document");
        int before = gateway.clusterConfigHealth().version().orElseThrow();
        String more = ClusterDocuments.withPartner("required").replace("[127.0.0.1/32]", "[127.0.0.1/32, 10.9.0.0/16]");
        assertThat(admin.configApply(more).status()).isZero();
        Awaitility.await().atMost(WITHIN).until(() -> gateway.clusterConfigHealth().version().orElseThrow() > before);
        // Trusted networks apply live (LiveSettingsTest shows a removed network refused at once): no restart asked.
        assertThat(gateway.node().clusterHealthLine().orElseThrow()).doesNotContain("restart required");
        send("trusted-after-change");
        gateway.awaitAuditEvent("trusted-after-change");
    }

    private static void send(String id) throws Exception {
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(DAVE),
            TestMails.plain(ALICE, List.of(DAVE), "Hello Dave", id, "for Dave")).code()).isEqualTo(250);
    }
}
