package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.FileDiscoveredKeyStore;
import org.sealgate.testing.OpenPgpTools;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.SmtpSink;

/**
 * Key discovery in the mail path: a real node over real SMTP asks a real LDAP directory (UnboundID's in-memory
 * server speaking the protocol) and a real HKP key server (JDK HttpServer) on loopback for recipients it has no key
 * for; what it sends is opened by {@code openssl cms} and GnuPG. Bad answers are refused with their reason in the
 * audit event and the mail handled per policy (never sent in clear where encryption is required).
 */
class KeyDiscoveryNodeTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";   // S/MIME certificate only in LDAP
    private static final String DAVE = "dave@partner.example";     // garbage in userCertificate
    private static final String FRANK = "frank@partner.example";   // expired certificate in LDAP
    private static final String HENRY = "henry@keys.example";      // OpenPGP key only at the key server
    private static final String IVY = "ivy@keys.example";          // the key server answers with mallory's key
    private static final String GWEN = "gwen@hang.example";        // the key server hangs; LDAP has her certificate
    private static final String LDAP_BASE = "dc=partner,dc=example";
    private static final int HKP_TIMEOUT_MS = 1500;
    private static final int BOUND_MS = 4000;
    private static final String POLICY = """
        default.encrypt = opportunistic
        domain.partner.example.encrypt = required
        domain.partner.example.key-discovery = ldap
        domain.keys.example.encrypt = required
        domain.keys.example.key-discovery = hkp
        domain.hang.example.encrypt = required
        domain.hang.example.key-discovery = hkp, ldap
        """;

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static OpenPgpTools tools;
    static InMemoryDirectoryServer ldap;
    static final AtomicInteger ldapSearches = new AtomicInteger();
    static HttpServer hkp;
    static ExecutorService hkpThreads;
    static final CountDownLatch releaseHungRequests = new CountDownLatch(1);
    static final Map<String, byte[]> published = new ConcurrentHashMap<>();
    static final List<String> hkpSearches = new CopyOnWriteArrayList<>();
    static CertificateIssuer demoCa;
    static IssuedIdentity carol;
    static IssuedIdentity gwen;

    @BeforeAll
    static void start() throws Exception {
        Prerequisites.require(OpenPgpTools.gpgAvailable(), "gpg (Debian package gnupg)");
        tools = new OpenPgpTools();
        CertificateIssuer partnerCa = CertificateIssuer.newCa("Partner CA", KeyType.EC_P256);
        carol = partnerCa.issue(IssueRequest.forEmail(CAROL, KeyType.RSA_2048));
        gwen = partnerCa.issue(IssueRequest.forEmail(GWEN, KeyType.RSA_2048));
        byte[] expired = partnerCa.issue(IssueRequest.forEmail(FRANK, KeyType.RSA_2048)
            .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))))
            .certificate().getEncoded();
        startLdap(Map.of("carol", carol.certificate().getEncoded(), "gwen", gwen.certificate().getEncoded(),
            "dave", "this is not a certificate".getBytes(StandardCharsets.US_ASCII), "frank", expired));
        published.put(HENRY, tools.gpgGenerateKey("Henry <" + HENRY + ">"));
        published.put(IVY, tools.gpgGenerateKey("Mallory <mallory@evil.example>"));
        startHkp();

        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), POLICY,
            List.of(Gateway.MANAGED_DOMAIN), Map.of(
                "discovery.bound-ms", Integer.toString(BOUND_MS),
                "discovery.hkp.servers", "http://127.0.0.1:" + hkp.getAddress().getPort(),
                "discovery.hkp.allow-plain-http", "true",
                "discovery.hkp.timeout-ms", Integer.toString(HKP_TIMEOUT_MS),
                "discovery.ldap.servers", "127.0.0.1:" + ldap.getListenPort("ldap"),
                "discovery.ldap.security", "plain",
                "discovery.ldap.base", LDAP_BASE,
                "discovery.ldap.filter", "(mail={0})"));
        demoCa = CertificateIssuer.newCa("Sealgate Test CA");
        gateway.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
        // The partners' CA may vouch for their two domains only (a discovered certificate must chain to it).
        gateway.keys().addTrustAnchor(new ScopedAnchor(partnerCa.certificate(), List.of("partner.example", "hang.example")));
    }

    private static void startLdap(Map<String, byte[]> certificates) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(LDAP_BASE);
        config.setSchema(null);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
                ldapSearches.incrementAndGet();
            }
        });
        ldap = new InMemoryDirectoryServer(config);
        ldap.add(new Entry(LDAP_BASE, new Attribute("objectClass", "domain"), new Attribute("dc", "partner")));
        for (Map.Entry<String, byte[]> person : certificates.entrySet()) {
            String mail = person.getKey() + (person.getKey().equals("gwen") ? "@hang.example" : "@partner.example");
            ldap.add(new Entry("uid=" + person.getKey() + "," + LDAP_BASE, new Attribute("objectClass", "inetOrgPerson"),
                new Attribute("uid", person.getKey()), new Attribute("mail", mail),
                new Attribute("userCertificate;binary", person.getValue())));
        }
        ldap.startListening();
    }

    /** HKP on loopback: serves the published keys, 404 otherwise; a look-up for hang.example never answers in time. */
    private static void startHkp() throws IOException {
        hkp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        hkpThreads = Executors.newCachedThreadPool();
        hkp.setExecutor(hkpThreads);
        hkp.createContext("/pks/lookup", KeyDiscoveryNodeTest::lookup);
        hkp.start();
    }

    private static void lookup(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            String search = URLDecoder.decode(query.substring(query.indexOf("search=") + 7), StandardCharsets.UTF_8);
            hkpSearches.add(search);
            if (search.endsWith("@hang.example")) {
                try {
                    releaseHungRequests.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] key = published.get(search);
            if (key == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(200, key.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(key);
            }
        }
    }

    @AfterAll
    static void stop() {
        releaseHungRequests.countDown();
        if (gateway != null) {
            gateway.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (hkp != null) {
            hkp.stop(0);
            hkpThreads.shutdownNow();
        }
        if (ldap != null) {
            ldap.shutDown(true);
        }
        if (tools != null) {
            tools.close();
        }
    }

    @Test
    void certificateOnlyInLdapShouldEncryptTheMailAndTheSecondMailShouldNotAskTheDirectoryAgain() throws Exception {
        int searchesBefore = ldapSearches.get();
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(CAROL),
            TestMails.plain(ALICE, List.of(CAROL), "First contact", "disc-ldap-1", "figures for Carol"));

        MimeMessage first = receiver.awaitOne(CAROL, "disc-ldap-1");
        assertThat(first.getContentType()).contains("application/pkcs7-mime");
        byte[] signed = OpenSslChecks.decrypt(work, SmtpSink.raw(first), carol);
        assertThat(new String(OpenSslChecks.verify(work, signed, demoCa.certificate()), StandardCharsets.UTF_8))
            .contains("figures for Carol");
        assertThat(policyOf(gateway.awaitAuditEvent("disc-ldap-1"), CAROL)).startsWith("smime (")
            .contains("discovery: found SMIME key at ldap ldap://127.0.0.1:" + ldap.getListenPort("ldap"));
        assertThat(ldapSearches.get() - searchesBefore).isEqualTo(1);

        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(CAROL),
            TestMails.plain(ALICE, List.of(CAROL), "Second", "disc-ldap-2", "more for Carol"));
        MimeMessage second = receiver.awaitOne(CAROL, "disc-ldap-2");
        assertThat(new String(OpenSslChecks.verify(work, OpenSslChecks.decrypt(work, SmtpSink.raw(second), carol),
            demoCa.certificate()), StandardCharsets.UTF_8)).contains("more for Carol");
        assertThat(ldapSearches.get() - searchesBefore).as("the directory sees no second request").isEqualTo(1);
        assertThat(new FileDiscoveredKeyStore(gateway.layout().keys().resolve("discovered")).keysFor(CAROL))
            .singleElement().satisfies(key -> {
                assertThat(key.kind()).isEqualTo(DiscoveredKey.Kind.SMIME);
                assertThat(key.source()).startsWith("ldap ldap://127.0.0.1:");
                assertThat(key.certificate()).isEqualTo(carol.certificate());
            });
    }

    @Test
    void openPgpKeyOnlyAtTheKeyServerShouldEncryptTheMailSoThatGpgDecryptsIt() throws Exception {
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(HENRY),
            TestMails.plain(ALICE, List.of(HENRY), "Hello Henry", "disc-hkp-1", "plans for Henry"));

        MimeMessage received = receiver.awaitOne(HENRY, "disc-hkp-1");
        assertThat(received.getContentType()).contains("multipart/encrypted");
        tools.write("henry.asc", PgpMails.payload(received));
        OpenPgpTools.Result decrypted = tools.gpg("--decrypt", "henry.asc");
        assertThat(decrypted.ok()).as(decrypted.toString()).isTrue();
        assertThat(decrypted.out()).contains("plans for Henry");
        assertThat(policyOf(gateway.awaitAuditEvent("disc-hkp-1"), HENRY)).startsWith("pgp (")
            .contains("discovery: found OPENPGP key at hkp http://127.0.0.1:" + hkp.getAddress().getPort());

        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(HENRY),
            TestMails.plain(ALICE, List.of(HENRY), "Again", "disc-hkp-2", "more plans"));
        receiver.awaitOne(HENRY, "disc-hkp-2");
        assertThat(hkpSearches.stream().filter(HENRY::equals)).as("the key server sees no second request").hasSize(1);
    }

    @Test
    void hangingSourceShouldBeGivenUpAfterItsTimeoutAndTheNextSourceAskedWithinTheBound() throws Exception {
        Instant sent = Instant.now();
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(GWEN),
            TestMails.plain(ALICE, List.of(GWEN), "For Gwen", "disc-hang", "notes for Gwen"));

        MimeMessage received = receiver.awaitOne(GWEN, "disc-hang");
        byte[] signed = OpenSslChecks.decrypt(work, SmtpSink.raw(received), gwen);
        assertThat(new String(OpenSslChecks.verify(work, signed, demoCa.certificate()), StandardCharsets.UTF_8))
            .contains("notes for Gwen");
        String policy = policyOf(gateway.awaitAuditEvent("disc-hang"), GWEN);
        assertThat(policy).startsWith("smime (")
            .contains("hkp: gave up after its timeout of " + HKP_TIMEOUT_MS + " ms")
            .contains("found SMIME key at ldap");
        assertThat(hkpSearches).contains(GWEN);
        // Loose on purpose (a shared machine): the point is that the hung source did not hold the mail for its 20 s.
        assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void plantedExpiredOrGarbageKeysShouldNotBeUsedAndTheMailBouncedWithEachReason() throws Exception {
        List<String> to = List.of(DAVE, FRANK, IVY);
        SmtpClient.send(gateway.smtpPort(), ALICE, to, TestMails.plain(ALICE, to, "Secret", "disc-bad", "secret body"));

        Map<String, Object> event = gateway.awaitAuditEvent("disc-bad");
        assertThat(event).containsEntry("outcome", "bounced");
        assertThat(policyOf(event, DAVE)).startsWith("bounce (").contains("ldap: refused a SMIME key: not a certificate");
        assertThat(policyOf(event, FRANK)).startsWith("bounce (").contains("ldap: refused a SMIME key").contains("expired");
        assertThat(policyOf(event, IVY)).startsWith("bounce (").contains("hkp: refused a OPENPGP key")
            .contains("mallory@evil.example").contains("not " + IVY);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> receiver.messagesFor(ALICE).stream().anyMatch(m -> OpenSslChecks.text(m).contains("disc-bad")));
        for (String recipient : to) {
            assertThat(receiver.messagesFor(recipient)).as("nothing for " + recipient + ", least of all in clear").isEmpty();
        }
        assertThat(new FileDiscoveredKeyStore(gateway.layout().keys().resolve("discovered")).all())
            .noneMatch(key -> to.contains(key.address()));
    }

    private static String policyOf(Map<String, Object> event, String address) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> recipients = (List<Map<String, Object>>) event.get("recipients");
        return recipients.stream().filter(r -> address.equalsIgnoreCase(r.get("recipient").toString())).findFirst()
            .map(r -> String.valueOf(r.get("policy"))).orElseThrow();
    }
}
