package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.sealgate.cli.ClusterDocuments;
import org.sealgate.cli.ConfigCommand;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.store.ZkLayout;

/**
 * A real node whose policy comes from ZooKeeper (Curator TestingServer): {@code sealgate config apply} changes
 * what the running node does with the next mail, without a restart.
 */
class ClusterPolicyTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String DAVE = "dave@partner.example";   // nobody knows a certificate for Dave
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path work;
    static TestingServer zooKeeper;
    static DownstreamReceiver receiver;
    static Gateway gateway;
    static Path adminCredentials;
    static Path nodeCredentials;

    @BeforeAll
    static void start() throws Exception {
        zooKeeper = new TestingServer(true);
        receiver = DownstreamReceiver.onFreePort();
        adminCredentials = Files.writeString(work.resolve("admin.credentials"), "admin:admin-secret\n");
        nodeCredentials = Files.writeString(work.resolve("node.credentials"), "node:node-secret\n");
        assertThat(configApply(ClusterDocuments.withPartner("opportunistic"), "--node-credentials", nodeCredentials.toString()))
            .isZero();
        gateway = Gateway.startInCluster(work.resolve("data"), Optional.of(receiver.hostPort()),
            List.of(Gateway.MANAGED_DOMAIN), zooKeeper.getConnectString(), "node:node-secret");
        CertificateIssuer ca = CertificateIssuer.newCa("Cluster Test CA");
        gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
    }

    @Test
    void configApplyShouldSwitchARunningNodeToEncryptionRequiredAndABadVersionShouldNotUndoIt() throws Exception {
        assertThat(gateway.clusterConfigHealth().version()).contains(1);

        // Version 1: partner.example opportunistic, so mail to keyless Dave leaves in plain text.
        send("before-apply");
        MimeMessage plain = receiver.awaitOne(DAVE, "before-apply");
        assertThat(DownstreamReceiver.text(plain)).contains("for Dave");
        assertThat(gateway.awaitAuditEvent("before-apply")).containsEntry("outcome", "relayed");

        // Version 2 through the CLI: encryption required. Same node, no restart: Dave's next mail is bounced.
        assertThat(configApply(ClusterDocuments.withPartner("required"))).isZero();
        Awaitility.await().atMost(WITHIN).until(() -> gateway.clusterConfigHealth().version().orElse(0) == 2);
        send("after-apply");
        assertThat(gateway.awaitAuditEvent("after-apply")).containsEntry("outcome", "bounced");

        // Version 3 written around the CLI does not validate: refused, version 2 stays in force.
        writeAroundTheCli("schema-version: 1\ndomains: []\nnodes: [garbage\n");
        Awaitility.await().atMost(WITHIN).until(() -> gateway.clusterConfigHealth().lastRejected().isPresent());
        assertThat(gateway.clusterConfigHealth().version()).contains(2);
        assertThat(gateway.clusterConfigHealth().message()).contains("version 3 in ZooKeeper refused");
        send("after-bad-version");
        assertThat(gateway.awaitAuditEvent("after-bad-version")).containsEntry("outcome", "bounced");
        assertThat(receiver.messagesFor(DAVE)).extracting(DownstreamReceiver::messageId)
            .noneMatch(id -> id.contains("after-apply") || id.contains("after-bad-version"));
    }

    private static void send(String id) throws Exception {
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(DAVE),
            TestMails.plain(ALICE, List.of(DAVE), "Hello Dave", id, "for Dave")).code()).isEqualTo(250);
    }

    private static int configApply(String document, String... more) throws Exception {
        Path file = Files.writeString(Files.createTempFile(work, "config-", ".yaml"), document, StandardCharsets.UTF_8);
        List<String> args = new java.util.ArrayList<>(List.of("apply", file.toString(),
            "--zk", zooKeeper.getConnectString(), "--admin-credentials", adminCredentials.toString()));
        args.addAll(List.of(more));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ConfigCommand.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).as("config apply").isEmpty();
        return status;
    }

    /** As a careless script would: straight into /config with admin rights, no validation, no history entry. */
    private static void writeAroundTheCli(String document) throws Exception {
        DigestCredentials admin = DigestCredentials.fromFile(adminCredentials);
        DigestCredentials node = DigestCredentials.fromFile(nodeCredentials);
        try (CuratorFramework client = ZkClients.admin(zooKeeper.getConnectString(), ZkClients.DEFAULT_NAMESPACE, admin,
            ConfigAcls.adminWritesNodesRead(admin.identity(), node.identity()))) {
            client.start();
            client.blockUntilConnected();
            client.setData().forPath(ZkLayout.CONFIG, document.getBytes(StandardCharsets.UTF_8));
        }
    }
}
