package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.sealgate.cli.ConfigCommand;
import org.sealgate.gina.GinaFiles;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.container.SecureMessagePage;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.SmtpSink;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/**
 * The GINA portal's public name and port come from the cluster document ({@code gina: {host-name, port}}) on a node
 * without {@code gina.portal-url}: after {@code config apply} of a new name, the next carrier's
 * {@code secure-message.html} and the next first-password notice link to it, without a restart (real node, real
 * ZooKeeper).
 */
class GinaPortalUrlLiveTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String ERIN = "erin@keyless.example";
    private static final String FRANK = "frank@keyless.example";
    private static final DigestCredentials ADMIN = new DigestCredentials("admin", "admin-secret");
    private static final DigestCredentials NODE = new DigestCredentials("node", "node-secret");
    private static final DigestCredentials GINA = new DigestCredentials(GinaFiles.ZK_USER, "gina-secret");

    @TempDir
    static Path work;
    static TestingServer zooKeeper;
    static SmtpSink receiver;
    static Gateway gateway;
    static CertificateIssuer ca;

    @BeforeAll
    static void start() throws Exception {
        zooKeeper = new TestingServer(true);
        receiver = SmtpSink.onFreePort();
        configApply(document("gina-one.example", 8443));
        try (CuratorFramework client = ZkClients.admin(zooKeeper.getConnectString(), ZkClients.DEFAULT_NAMESPACE, ADMIN,
            ConfigAcls.adminWritesNodesRead(ADMIN.identity(), NODE.identity()))) {
            client.start();
            client.blockUntilConnected();
            AccountStores.prepare(client, ADMIN.identity(), GINA.identity());
        }
        Path data = work.resolve("data");
        Files.createDirectories(data.resolve("secrets"));
        Files.writeString(data.resolve(GinaFiles.ZK_CREDENTIALS), "gina:gina-secret\n");
        Files.createDirectories(data.resolve(GinaFiles.KEY_RING).getParent());
        KeyRing.generate("test-1").save(data.resolve(GinaFiles.KEY_RING));
        // No gina.portal-url: the document names the portal.
        gateway = Gateway.startInCluster(data, Optional.of(receiver.hostPort()), List.of(Gateway.MANAGED_DOMAIN),
            zooKeeper.getConnectString(), "node:node-secret", Map.of());
        ca = CertificateIssuer.newCa("GINA URL Test CA");
        gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {gateway, receiver, zooKeeper}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void aNewPortalNameInTheDocumentShouldBeInTheNextCarrierAndNoticeWithoutRestart() throws Exception {
        assertPortalLinks(ERIN, "url-1", "https://gina-one.example:8443");

        configApply(document("gina-two.example", 9443));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> gateway.clusterConfigHealth().version().orElse(0) == 2);

        assertPortalLinks(FRANK, "url-2", "https://gina-two.example:9443");
        assertThat(gateway.node().clusterHealthLine().orElseThrow()).doesNotContain("restart required");
    }

    private static void assertPortalLinks(String recipient, String id, String portal) throws Exception {
        byte[] mail = TestMails.plain(ALICE, List.of(recipient), "[secure] Figures", id, "the figures");
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(recipient), mail).code()).isEqualTo(250);
        MimeMessage carrier = receiver.awaitOne(recipient, id);
        byte[] signedContent = OpenSslChecks.verify(work, SmtpSink.raw(carrier), ca.certificate());
        String page = new String(OpenSslChecks.attachment(signedContent, SecureMessagePage.FILE_NAME), StandardCharsets.UTF_8);
        assertThat(page).contains(portal + "/open");
        MimeMessage notice = Awaitility.await().atMost(Duration.ofSeconds(60))
            .until(() -> receiver.messagesFor(ALICE).stream()
                .filter(m -> subject(m).contains("First password for the secure message to " + recipient)).findFirst(),
                Optional::isPresent).orElseThrow();
        assertThat(OpenSslChecks.text(notice)).contains(portal);
    }

    private static String document(String portalHost, int port) {
        return """
            schema-version: 1
            domains:
              - name: demo.sealgate.test
                sign: true
              - name: keyless.example
                methods: [smime, pgp, gina]
            trusted-networks: [127.0.0.1/32]
            gina: {host-name: %s, port: %d}
            vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
            nodes:
              - {id: node-a, addresses: [127.0.0.1], role: primary, priority: 150}
            """.formatted(portalHost, port);
    }

    private static void configApply(String document) throws Exception {
        Path admin = work.resolve("admin.credentials");
        Path node = work.resolve("node.credentials");
        Files.writeString(admin, "admin:admin-secret\n");
        Files.writeString(node, "node:node-secret\n");
        Path file = Files.writeString(Files.createTempFile(work, "cluster-", ".yaml"), document, StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ConfigCommand.run(List.of("apply", file.toString(), "--zk", zooKeeper.getConnectString(),
                "--admin-credentials", admin.toString(), "--node-credentials", node.toString()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as("config apply: %s", err).isZero();
    }

    private static String subject(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (javax.mail.MessagingException e) {
            return "";
        }
    }
}
