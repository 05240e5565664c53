package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.cli.ClusterDocuments;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.policy.PolicyFile;
import org.sealgate.testing.RefusingReceiver;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A node without a configuration it can trust takes no mail (451 at RCPT, the client retries) instead of running on
 * the built-in defaults, which would send in clear what the real policy encrypts: a policy file broken at first
 * load, and a cluster node whose ZooKeeper is down with no last-known-good copy. Once the configuration is there,
 * mail flows.
 */
class FailClosedTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";   // no key anywhere: opportunistic means plain
    private static final String DAVE = "dave@partner.example";

    @TempDir
    Path work;
    private RefusingReceiver nextHop;
    private Gateway gateway;
    private TestingServer zooKeeper;
    private ClusterAdmin admin;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
        if (nextHop != null) {
            nextHop.close();
        }
    }

    @Test
    void nodeWithBrokenPolicyFileShouldRefuseMailWith451AuditAndLogTheCauseThenAcceptOnceFixed() throws Exception {
        ListAppender<ILoggingEvent> log = capture(PolicyFile.class);
        nextHop = new RefusingReceiver(Set.of());
        // Line 2 is broken: the file as a whole cannot be trusted, and the defaults (opportunistic) must not stand in.
        gateway = Gateway.start(work.resolve("data"), Optional.of(nextHop.hostPort()),
            "default.encrypt = required\ndomain.partner.example.encrypt = requird\n", List.of(Gateway.MANAGED_DOMAIN));
        CertificateIssuer ca = CertificateIssuer.newCa("Sealgate Test CA");
        gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));

        SmtpClient.Reply outbound = SmtpClient.send(gateway.smtpPort(), ALICE, List.of(CAROL),
            TestMails.plain(ALICE, List.of(CAROL), "Figures", "fail-closed-1", "secret figures"));
        assertThat(outbound.code()).isEqualTo(451);
        assertThat(outbound.text()).contains("4.3.0");
        // Inbound too: the node takes nothing it cannot decide on.
        try (SmtpClient outside = new SmtpClient("127.0.0.2", gateway.smtpPort())) {
            assertThat(outside.command("MAIL FROM:<carol@partner.example>").code()).isEqualTo(250);
            assertThat(outside.command("RCPT TO:<" + ALICE + ">").code()).isEqualTo(451);
        }
        Map<String, Object> refusal = awaitRefusal(CAROL);
        assertThat(String.valueOf(refusal.get("reason"))).contains("no policy in force", "policy.properties", "line 2");
        assertThat(log.list).anySatisfy(event -> assertThat(event.getFormattedMessage())
            .contains("No policy in force", "line 2"));
        assertThat(nextHop.received()).isEmpty();

        // The administrator fixes the file: the client's retry is accepted and the policy (not the defaults) applies.
        Files.writeString(gateway.layout().policy(), "default.encrypt = opportunistic\n", StandardCharsets.UTF_8);
        SmtpClient.Reply retried = SmtpClient.send(gateway.smtpPort(), ALICE, List.of(CAROL),
            TestMails.plain(ALICE, List.of(CAROL), "Figures", "fail-closed-1", "secret figures"));
        assertThat(retried.code()).isEqualTo(250);
        assertThat(nextHop.awaitFor(CAROL, "fail-closed-1@client.test").text()).contains("secret figures");
    }

    @Test
    void clusterNodeWithZooKeeperDownAndNoLocalCopyShouldRefuseMailWith451ThenAcceptOnceItReadsTheDocument()
        throws Exception {
        zooKeeper = new TestingServer(true);
        nextHop = new RefusingReceiver(Set.of());
        admin = new ClusterAdmin(zooKeeper.getConnectString(), work.resolve("admin"));
        // The document trusts the client too: its trusted networks replace the node's own once it is read (live).
        assertThat(admin.configApply(ClusterDocuments.withPartner("opportunistic")
            .replace("[127.0.0.1/32]", "[127.0.0.1/32, 127.0.0.3/32]")).status()).isZero();
        zooKeeper.stop();
        // A fresh node: no last-known-good copy. It trusts 127.0.0.3 by its own settings (see Gateway).
        gateway = admin.startNode(work.resolve("data"), "node-a", Optional.of(nextHop.hostPort()));
        assertThat(gateway.node().clusterConfigHealth().orElseThrow().version()).isEmpty();

        try (SmtpClient trusted = new SmtpClient("127.0.0.3", gateway.smtpPort())) {
            assertThat(trusted.command("MAIL FROM:<" + ALICE + ">").code()).isEqualTo(250);
            SmtpClient.Reply reply = trusted.command("RCPT TO:<" + DAVE + ">");
            assertThat(reply.code()).isEqualTo(451);
            assertThat(reply.text()).contains("4.3.0");
        }
        assertThat(String.valueOf(awaitRefusal(DAVE).get("reason"))).contains("ZooKeeper", "no last-known-good copy");
        assertThat(nextHop.received()).isEmpty();

        // ZooKeeper back: the node reads the document and the retried mail flows under its policy.
        zooKeeper.restart();
        Awaitility.await().atMost(Duration.ofSeconds(60))
            .until(() -> gateway.node().clusterConfigHealth().orElseThrow().version().isPresent());
        try (SmtpClient trusted = new SmtpClient("127.0.0.3", gateway.smtpPort())) {
            assertThat(trusted.mail(ALICE, List.of(DAVE), TestMails.plain(ALICE, List.of(DAVE), "Hi", "fail-closed-zk",
                "for Dave")).code()).isEqualTo(250);
        }
        assertThat(nextHop.awaitFor(DAVE, "fail-closed-zk@client.test").text()).contains("for Dave");
    }

    private Map<String, Object> awaitRefusal(String recipient) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> gateway.auditEvents().stream()
                .filter(e -> "refused".equals(e.get("outcome")) && String.valueOf(e.get("recipients")).contains(recipient))
                .findFirst(), Optional::isPresent)
            .orElseThrow();
    }

    private static ListAppender<ILoggingEvent> capture(Class<?> type) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
        return appender;
    }
}
