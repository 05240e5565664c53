package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import org.sealgate.gina.account.AccountState;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.account.GinaAccount;
import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.account.Recovery;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.testing.SmtpSink;
import org.sealgate.testing.FreePorts;

/**
 * GINA attacks against a real node over SMTP: the portal's reply listener ({@code gina.reply-smtp}) treats a reply
 * as the outside user's mail even though the portal connects from a trusted address; a trusted client cannot
 * send a first password or a reset report to an outside address. Each next to the legitimate case.
 */
class GinaAbuseSmtpTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String ERIN = "erin@keyless.example";
    private static final String FRANK = "frank@keyless.example";
    private static final String GRACE = "grace@keyless.example";
    private static final String HEIDI = "heidi@keyless.example";
    private static final String MALLORY = "mallory@evil.example";
    private static final DigestCredentials ADMIN = new DigestCredentials("admin", "admin-secret");
    private static final DigestCredentials NODE = new DigestCredentials("node", "node-secret");
    private static final DigestCredentials GINA = new DigestCredentials(GinaFiles.ZK_USER, "gina-secret");

    @TempDir
    static Path work;
    static TestingServer zooKeeper;
    static SmtpSink receiver;
    static Gateway gateway;
    static CuratorFramework ginaClient;
    static int replyPort;

    @BeforeAll
    static void start() throws Exception {
        zooKeeper = new TestingServer(true);
        receiver = SmtpSink.onFreePort();
        Path admin = Files.writeString(work.resolve("admin.credentials"), "admin:admin-secret\n");
        Path node = Files.writeString(work.resolve("node.credentials"), "node:node-secret\n");
        assertThat(configApply(admin, node)).isZero();
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
        replyPort = FreePorts.next();
        gateway = Gateway.startInCluster(data, Optional.of(receiver.hostPort()), List.of(Gateway.MANAGED_DOMAIN),
            zooKeeper.getConnectString(), "node:node-secret", Map.of("gina.portal-url", "https://127.0.0.1:8443",
                "gina.reply-smtp", "127.0.0.1:" + replyPort, "gina.signer", "secure-mail@" + Gateway.MANAGED_DOMAIN));
        CertificateIssuer ca = CertificateIssuer.newCa("GINA Abuse Test CA");
        gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.EC_P256)).toManagedIdentity(ALICE));
        String signer = "secure-mail@" + Gateway.MANAGED_DOMAIN;
        gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(signer, KeyType.EC_P256)).toManagedIdentity(signer));
        ginaClient = ZkClients.node(zooKeeper.getConnectString(), ZkClients.DEFAULT_NAMESPACE, GINA);
        ginaClient.start();
        ginaClient.blockUntilConnected();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {gateway, ginaClient, receiver, zooKeeper}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void portalReplyShouldArriveAsOutsideMailWithoutRelayTrustedHeadersOrNewGinaAccounts() throws Exception {
        byte[] reply = ("X-Sealgate-Encrypt: no\r\n" + "X-Sealgate-Gina-Phone: " + FRANK + "=+41 79 000 00 00\r\n"
            + new String(TestMails.plain(ERIN, List.of(ALICE, FRANK), "[secure] Re: figures", "reply-1",
            "Thanks, the figures look right."), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

        // The portal connects from 127.0.0.1, which the node's main port trusts; the reply port trusts nobody.
        try (SmtpClient portal = new SmtpClient("127.0.0.1", replyPort)) {
            assertThat(portal.command("MAIL FROM:<" + ERIN + ">").code()).isEqualTo(250);
            assertThat(portal.command("RCPT TO:<" + FRANK + ">").code()).isBetween(500, 599);   // no relaying
            assertThat(portal.command("RCPT TO:<" + HEIDI + ">").code()).isBetween(500, 599);
            assertThat(portal.command("RCPT TO:<" + ALICE + ">").code()).isEqualTo(250);
            assertThat(portal.command("DATA").code()).isEqualTo(354);
            assertThat(portal.command(new String(reply, StandardCharsets.UTF_8).replace("\r\n.", "\r\n..") + "\r\n.").code())
                .isEqualTo(250);
        }

        MimeMessage delivered = receiver.awaitOne(ALICE, "reply-1");
        assertThat(SmtpSink.text(delivered)).contains("the figures look right");
        assertThat(delivered.getHeader("X-Sealgate-Gina-Phone")).isNull();
        assertThat(delivered.getHeader("X-Sealgate-Encrypt")).isNull();
        assertThat(accounts().find(FRANK)).isEmpty();
        assertThat(accounts().find(HEIDI)).isEmpty();
        assertThat(receiver.messagesFor(FRANK)).isEmpty();
        assertThat(receiver.messagesFor(ERIN)).isEmpty();   // no first password, no notice to the replier
    }

    @Test
    void trustedClientShouldNotGetAFirstPasswordForAnOutsideFromButAManagedSenderStillDoes() throws Exception {
        send(MALLORY, GRACE, TestMails.plain(MALLORY, List.of(GRACE), "[secure] hello", "abuse-1", "give me grace's account"));

        awaitOutcome("abuse-1", "held");
        assertThat(accounts().find(GRACE)).isEmpty();
        assertThat(receiver.messagesFor(GRACE)).isEmpty();
        assertThat(receiver.messagesFor(MALLORY)).isEmpty();

        send(ALICE, GRACE, TestMails.plain(ALICE, List.of(GRACE), "[secure] hello", "legit-1", "for Grace"));
        receiver.awaitOne(GRACE, "legit-1");
        assertThat(accounts().find(GRACE)).get().extracting(GinaAccount::state).isEqualTo(AccountState.AWAITING_REGISTRATION);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> receiver.messagesFor(ALICE).stream()
            .anyMatch(m -> subject(m).contains("First password for the secure message to " + GRACE)));
    }

    @Test
    void resetKeywordFromAnOutsideEnvelopeSenderShouldResetNothingAndReportNothing() throws Exception {
        GinaAccounts accounts = accounts();
        String first = accounts.ensureAccount(HEIDI).firstPassword().orElseThrow();
        accounts.register(HEIDI, first, "heidi's own long password", Recovery.NONE);

        send(MALLORY, HEIDI, TestMails.plain(MALLORY, List.of(HEIDI), "[gina-reset] Heidi", "abuse-2", "reset her"));

        awaitOutcome("abuse-2", "gina-reset-refused");
        assertThat(accounts.find(HEIDI)).get().extracting(GinaAccount::state).isEqualTo(AccountState.ACTIVE);
        assertThat(accounts.login(HEIDI, "heidi's own long password").outcome())
            .isEqualTo(org.sealgate.gina.account.LoginResult.Outcome.SUCCESS);
        assertThat(receiver.messagesFor(MALLORY)).isEmpty();
    }

    private static void send(String from, String to, byte[] message) throws Exception {
        assertThat(SmtpClient.send(gateway.smtpPort(), from, List.of(to), message).code()).isEqualTo(250);
    }

    private static void awaitOutcome(String idFragment, String outcome) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> gateway.auditEvents().stream().anyMatch(e -> String.valueOf(e.get("messageId")).contains(idFragment)
                && outcome.equals(e.get("outcome"))));
    }

    private static String subject(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (javax.mail.MessagingException e) {
            return "";
        }
    }

    private static GinaAccounts accounts() {
        return new GinaAccounts(AccountStores.zooKeeper(ginaClient, AccountStores.creatorOnly()), new PasswordHasher(1024, 1, 1),
            LockoutPolicy.DEFAULT, Clock.systemUTC());
    }

    private static int configApply(Path admin, Path node) throws Exception {
        Path file = Files.writeString(work.resolve("cluster.yaml"), """
            schema-version: 1
            domains:
              - name: demo.sealgate.test
                sign: true
              - name: keyless.example
                methods: [smime, pgp, gina]
            trusted-networks: [127.0.0.1/32]
            gina: {host-name: gina.demo.sealgate.test, port: 8443}
            vip: {address: 127.0.0.2, interface: lo, virtual-router-id: 51}
            nodes:
              - {id: node-a, addresses: [127.0.0.1], role: primary, priority: 150}
            """, StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ConfigCommand.run(List.of("apply", file.toString(), "--zk", zooKeeper.getConnectString(),
                "--admin-credentials", admin.toString(), "--node-credentials", node.toString()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        return status;
    }
}
