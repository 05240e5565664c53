package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.internet.MimeMessage;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.ACL;
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
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.container.SecureMessagePage;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.testing.SmtpSink;
import org.sealgate.testing.RecordingHttpEndpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * GINA through a real node: SMTP in, the policy from ZooKeeper ({@code methods: [smime, pgp, gina]} for a keyless
 * domain, {@code [secure]} in the subject), the account created in a real ZooKeeper ({@link TestingServer}), the
 * signed carrier at the downstream receiver (checked with {@code openssl cms -verify}), its container opened with
 * gina-core to the original, the first password at the sender or by SMS through a local HTTP SMS gateway.
 */
class GinaSmtpTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String ERIN = "erin@keyless.example";
    private static final String FRANK = "frank@keyless.example";
    private static final String GRACE = "grace@keyless.example";
    private static final String HEIDI = "heidi@keyless.example";
    private static final DigestCredentials ADMIN = new DigestCredentials("admin", "admin-secret");
    private static final DigestCredentials NODE = new DigestCredentials("node", "node-secret");
    private static final DigestCredentials GINA = new DigestCredentials(GinaFiles.ZK_USER, "gina-secret");
    private static final Pattern FIRST_PASSWORD = Pattern.compile("\\n\\s+([A-Za-z0-9]{4}(?:-[A-Za-z0-9]{4}){3})\\s*\\n");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static TestingServer zooKeeper;
    static SmtpSink receiver;
    static RecordingHttpEndpoint smsGateway;
    static Gateway gateway;
    static CertificateIssuer ca;
    static CuratorFramework ginaClient;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        zooKeeper = new TestingServer(true);
        receiver = SmtpSink.onFreePort();
        smsGateway = RecordingHttpEndpoint.start("/sms", "{\"id\":\"1\"}", "{}");
        Path admin = Files.writeString(work.resolve("admin.credentials"), "admin:admin-secret\n");
        Path node = Files.writeString(work.resolve("node.credentials"), "node:node-secret\n");
        assertThat(configApply(admin, node)).isZero();
        prepareAccountFolder();

        data = work.resolve("data");
        Files.createDirectories(data.resolve("secrets"));
        Files.writeString(data.resolve(GinaFiles.ZK_CREDENTIALS), "gina:gina-secret\n");
        Files.createDirectories(data.resolve(GinaFiles.KEY_RING).getParent());
        KeyRing.generate("test-1").save(data.resolve(GinaFiles.KEY_RING));
        gateway = Gateway.startInCluster(data, Optional.of(receiver.hostPort()), List.of(Gateway.MANAGED_DOMAIN),
            zooKeeper.getConnectString(), "node:node-secret", Map.of(
                "gina.portal-url", "https://127.0.0.1:8443",
                "gina.first-password", "sms",
                "gina.sms.url", smsGateway.uri().toString(),
                "gina.max-message-kb", "512"));
        ca = CertificateIssuer.newCa("GINA Test CA");
        gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
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
        if (smsGateway != null) {
            smsGateway.close();
        }
    }

    @Test
    void secureMailToAKeylessRecipientShouldArriveAsASignedCarrierWhoseContainerOpensToTheOriginal() throws Exception {
        byte[] attachment = TestMails.randomBytes(30_000, 11);
        send(ALICE, ERIN, TestMails.withAttachment(ALICE, List.of(ERIN), "[secure] Contract draft", "gina-1", attachment));

        MimeMessage carrier = receiver.awaitOne(ERIN, "gina-1");
        byte[] raw = SmtpSink.raw(carrier);
        assertThat(carrier.getContentType()).startsWith("multipart/signed");
        assertThat(carrier.getSubject()).isEqualTo("Contract draft");
        assertThat(SmtpSink.text(carrier)).doesNotContain("Please find the report attached");
        byte[] signedContent = OpenSslChecks.verify(work, raw, ca.certificate());
        String page = new String(OpenSslChecks.attachment(signedContent, SecureMessagePage.FILE_NAME), StandardCharsets.UTF_8);
        assertThat(page).contains("https://127.0.0.1:8443/open");

        GinaContainer container = SecureMessagePage.extract(page);
        assertThat(container.recipient()).isEqualTo(ERIN);
        assertThat(container.messageId()).isEqualTo(TestMails.messageId("gina-1"));
        byte[] original = new ContainerCrypto().open(container, ERIN, KeyRing.load(data.resolve(GinaFiles.KEY_RING)));
        MimeMessage opened = OpenSslChecks.parse(original);
        assertThat(opened.getSubject()).isEqualTo("Contract draft");
        assertThat(OpenSslChecks.attachment(original, "report.bin")).isEqualTo(attachment);

        GinaAccounts accounts = accounts();
        assertThat(accounts.find(ERIN)).get().extracting(GinaAccount::state).isEqualTo(AccountState.AWAITING_REGISTRATION);
        MimeMessage notice = awaitNotice("First password for the secure message to " + ERIN);
        String noticeText = org.sealgate.testing.TestMessages.firstText(notice).replace("\r\n", "\n");
        Matcher matcher = FIRST_PASSWORD.matcher(noticeText);
        assertThat(matcher.find()).as(noticeText).isTrue();
        String firstPassword = matcher.group(1);
        accounts.register(ERIN, firstPassword, "erin's own long password", Recovery.NONE);
        assertThat(accounts.find(ERIN)).get().extracting(GinaAccount::state).isEqualTo(AccountState.ACTIVE);

        List<Map<String, Object>> events = awaitEvents("gina-1", 2);
        assertThat(events).extracting(e -> e.get("outcome")).contains("gina-first-contact", "relayed");
        assertThat(Files.readString(gateway.layout().audit().resolve("audit.jsonl"))).doesNotContain(firstPassword);
        assertThat(texts()).noneMatch(sms -> sms.get("text").asText().contains(ERIN));
    }

    @Test
    void aTrustedSendersPhoneNumberShouldBringTheFirstPasswordBySmsAndNeverLeaveTheGateway() throws Exception {
        byte[] mail = TestMails.plain(ALICE, List.of(FRANK), "[secure] Offer", "gina-2", "the offer");
        String withPhone = "X-Sealgate-Gina-Phone: " + FRANK + "=+41 79 555 66 77\r\n"
            + new String(mail, StandardCharsets.UTF_8);
        send(ALICE, FRANK, withPhone.getBytes(StandardCharsets.UTF_8));

        MimeMessage carrier = receiver.awaitOne(FRANK, "gina-2");
        // The number in each form it could take, not a bare "+41": that also occurs by chance in the carrier's base64.
        assertThat(SmtpSink.text(carrier)).doesNotContain("+41 79 555 66 77").doesNotContain("+41795556677")
            .doesNotContain("79 555 66 77").doesNotContain("795556677").doesNotContain("X-Sealgate-Gina-Phone")
            .doesNotContain("the offer");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !texts().isEmpty());
        JsonNode sms = texts().get(0);
        assertThat(sms.get("to").asText()).isEqualTo("+41795556677");
        String text = sms.get("text").asText();
        String firstPassword = text.substring(text.lastIndexOf(' ') + 1);
        accounts().register(FRANK, firstPassword, "frank's own long password", Recovery.NONE);

        MimeMessage notice = awaitNotice("first password sent by SMS");
        assertThat(OpenSslChecks.text(notice)).contains("+41*******77").doesNotContain(firstPassword);
        for (MimeMessage delivered : receiver.messages()) {
            assertThat(SmtpSink.text(delivered)).doesNotContain("X-Sealgate-Gina-Phone").doesNotContain(firstPassword);
        }
    }

    @Test
    void withoutTheKeyRingTheMailShouldBeHeldWithTheReasonAndNotDelivered() throws Exception {
        Path ring = data.resolve(GinaFiles.KEY_RING);
        Path aside = data.resolve(GinaFiles.KEY_RING + ".aside");
        Files.move(ring, aside);
        long heldBefore = gateway.quarantined();
        try {
            send(ALICE, GRACE, TestMails.plain(ALICE, List.of(GRACE), "[secure] Salary", "gina-3", "the salary"));

            Map<String, Object> held = awaitEvents("gina-3", 1).get(0);
            assertThat(held).containsEntry("outcome", "held");
            assertThat((String) held.get("reason")).contains("no GINA key ring at");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.quarantined() == heldBefore + 1);
            assertThat(receiver.messagesFor(GRACE)).isEmpty();
            assertThat(accounts().find(GRACE)).isEmpty();
        } finally {
            Files.move(aside, ring);
        }
    }

    @Test
    void mailLargerThanThePortalCanOpenShouldBeHeldWithTheReasonAndNotDelivered() throws Exception {
        String ivan = "ivan@keyless.example";
        long heldBefore = gateway.quarantined();

        send(ALICE, ivan, TestMails.plain(ALICE, List.of(ivan), "[secure] Scans", "gina-large", "scan line\r\n".repeat(60_000)));

        Map<String, Object> held = awaitEvents("gina-large", 1).get(0);
        assertThat(held).containsEntry("outcome", "held");
        assertThat((String) held.get("reason")).contains("larger than the GINA portal can open").contains("512 KB");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.quarantined() == heldBefore + 1);
        assertThat(receiver.messagesFor(ivan)).isEmpty();
        assertThat(accounts().find(ivan)).isEmpty();
    }

    @Test
    void aTrustedSendersResetMailShouldGiveTheSenderANewFirstPasswordAndReachNobodyElse() throws Exception {
        send(ALICE, HEIDI, TestMails.plain(ALICE, List.of(HEIDI), "[secure] Invoice", "gina-4", "the invoice"));
        receiver.awaitOne(HEIDI, "gina-4");
        String old = firstPassword(awaitNotice("First password for the secure message to " + HEIDI));
        GinaAccounts accounts = accounts();
        accounts.register(HEIDI, old, "heidi's own long password", Recovery.NONE);

        // From outside, the keyword is ordinary mail: relaying to Heidi is refused, Alice just receives it.
        try (SmtpClient untrusted = new SmtpClient("127.0.0.2", gateway.smtpPort())) {
            assertThat(untrusted.command("MAIL FROM:<mallory@elsewhere.example>").code()).isEqualTo(250);
            assertThat(untrusted.command("RCPT TO:<" + HEIDI + ">").code()).isBetween(500, 599);
        }
        try (SmtpClient untrusted = new SmtpClient("127.0.0.2", gateway.smtpPort())) {
            assertThat(untrusted.mail("mallory@elsewhere.example", List.of(ALICE),
                TestMails.plain("mallory@elsewhere.example", List.of(ALICE), "[gina-reset] hello", "gina-5", "hi")).code())
                .isEqualTo(250);
        }
        receiver.awaitOne(ALICE, "gina-5");
        assertThat(accounts.find(HEIDI)).get().extracting(GinaAccount::state).isEqualTo(AccountState.ACTIVE);

        send(ALICE, HEIDI, TestMails.plain(ALICE, List.of(HEIDI), "[gina-reset] Heidi", "gina-6", "please reset"));
        String fresh = firstPassword(awaitNotice("GINA password reset"));
        assertThat(accounts.find(HEIDI)).get().extracting(GinaAccount::state).isEqualTo(AccountState.AWAITING_REGISTRATION);
        assertThat(fresh).isNotEqualTo(old);
        accounts.register(HEIDI, fresh, "heidi's second long password", Recovery.NONE);
        assertThat(accounts.login(HEIDI, "heidi's second long password").outcome())
            .isEqualTo(org.sealgate.gina.account.LoginResult.Outcome.SUCCESS);
        assertThat(accounts.login(HEIDI, "heidi's own long password").outcome())
            .isNotEqualTo(org.sealgate.gina.account.LoginResult.Outcome.SUCCESS);

        assertThat(awaitEvents("gina-6", 1)).extracting(e -> e.get("outcome")).contains("gina-reset");
        assertThat(Files.readString(gateway.layout().audit().resolve("audit.jsonl"))).doesNotContain(fresh);
        assertThat(receiver.messagesFor(HEIDI)).allSatisfy(m -> assertThat(subject(m)).doesNotContain("reset"));
        assertThat(receiver.messagesFor(HEIDI)).hasSize(1);
    }

    private static String firstPassword(MimeMessage notice) {
        String text = org.sealgate.testing.TestMessages.firstText(notice).replace("\r\n", "\n");
        Matcher matcher = FIRST_PASSWORD.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }

    /** The gateway's notice to Alice whose subject contains the text. */
    private static MimeMessage awaitNotice(String subjectPart) {
        return Awaitility.await().atMost(Duration.ofSeconds(60))
            .until(() -> receiver.messagesFor(ALICE).stream().filter(m -> subject(m).contains(subjectPart)).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    private static String subject(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (javax.mail.MessagingException e) {
            return "";
        }
    }

    private static List<Map<String, Object>> awaitEvents(String idFragment, int count) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> gateway.auditEvents().stream()
                .filter(e -> String.valueOf(e.get("messageId")).contains(idFragment)).toList(), l -> l.size() >= count);
    }

    private static GinaAccounts accounts() {
        return new GinaAccounts(AccountStores.zooKeeper(ginaClient, AccountStores.creatorOnly()), new PasswordHasher(1024, 1, 1),
            LockoutPolicy.DEFAULT, Clock.systemUTC());
    }

    private static void send(String from, String to, byte[] message) throws IOException {
        assertThat(SmtpClient.send(gateway.smtpPort(), from, List.of(to), message).code()).isEqualTo(250);
    }

    /** The cluster document: the managed domain, and keyless.example whose recipients get GINA when required. */
    private static int configApply(Path admin, Path node) throws Exception {
        String document = """
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
            """;
        Path file = Files.writeString(work.resolve("cluster.yaml"), document, StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ConfigCommand.run(List.of("apply", file.toString(), "--zk", zooKeeper.getConnectString(),
                "--admin-credentials", admin.toString(), "--node-credentials", node.toString()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        return status;
    }

    /** As the demo does: the admin makes /gina/accounts, where the GINA identity (mailet and portal) may do all. */
    private static void prepareAccountFolder() throws Exception {
        List<ACL> store = ConfigAcls.adminWritesNodesRead(ADMIN.identity(), NODE.identity());
        try (CuratorFramework client = ZkClients.admin(zooKeeper.getConnectString(), ZkClients.DEFAULT_NAMESPACE, ADMIN, store)) {
            client.start();
            client.blockUntilConnected();
            AccountStores.prepare(client, ADMIN.identity(), GINA.identity());
        }
    }

    /** The SMS gateway's requests as the JSON bodies the gateway posted. */
    private static List<JsonNode> texts() {
        return smsGateway.requests().stream().map(request -> {
            try {
                return JSON.readTree(request.body());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }
}
