package org.sealgate.routes.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.EncryptionPolicy;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeyValidator;
import org.sealgate.keys.discovery.DiscoveryResult;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.testing.FreePorts;
import org.sealgate.testing.Prerequisites;

/**
 * Key discovery against real servers on loopback: an HTTPS WKD server (JDK HttpsServer), an LDAPS directory
 * (UnboundID's in-memory server speaking the real protocol), a TCP server that accepts and never answers.
 */
class KeyDiscoveryTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final String LDAP_BASE = "dc=partner,dc=example";

    private static LoopbackTls tls;
    private static WkdServer wkd;
    private static InMemoryDirectoryServer ldap;
    private static SilentServer silent;
    private static CertificateIssuer partnerCa;
    private static CertificateIssuer strangerCa;
    private static IssuedIdentity bob;
    private static IssuedIdentity carol;
    private static OpenPGPKey alice;
    private static OpenPGPKey gina;
    private static OpenPGPKey hugo;

    private CamelContext camel;

    @BeforeAll
    static void startServers() throws Exception {
        tls = LoopbackTls.create();
        wkd = new WkdServer(tls.server);
        silent = new SilentServer();
        partnerCa = CertificateIssuer.newCa("Partner CA", KeyType.EC_P256);
        strangerCa = CertificateIssuer.newCa("Planted CA", KeyType.EC_P256);
        bob = partnerCa.issue(IssueRequest.forEmail("bob@partner.example", KeyType.RSA_2048));
        carol = partnerCa.issue(IssueRequest.forEmail("carol@partner.example", KeyType.RSA_2048));
        alice = PgpKeys.generate("Alice <alice@wkd.example>", 4);
        gina = PgpKeys.generate("Gina <gina@partner.example>", 4);
        hugo = PgpKeys.generate("Hugo <hugo@partner.example>", 6);

        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(LDAP_BASE);
        config.setSchema(null);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPSConfig("ldaps", InetAddress.getLoopbackAddress(),
            0, tls.server.getServerSocketFactory(), tls.client.getSocketFactory()));
        ldap = new InMemoryDirectoryServer(config);
        ldap.add(new Entry(LDAP_BASE, new Attribute("objectClass", "domain"), new Attribute("dc", "partner")));
        person("bob", bob.certificate().getEncoded());
        person("carol", carol.certificate().getEncoded());
        person("dave", "this is not a certificate".getBytes(StandardCharsets.US_ASCII));
        person("erin", strangerCa.issue(IssueRequest.forEmail("erin@partner.example", KeyType.RSA_2048))
            .certificate().getEncoded());
        person("frank", partnerCa.issue(IssueRequest.forEmail("frank@partner.example", KeyType.RSA_2048)
            .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))))
            .certificate().getEncoded());
        // OpenPGP keys in pgpKey (objectClass pgpKeyInfo): Gina's armoured, Hugo's binary, Ines's names someone else.
        pgpPerson("gina", PgpKeys.armored(gina.toCertificate()).getBytes(StandardCharsets.US_ASCII));
        pgpPerson("hugo", hugo.toCertificate().getEncoded());
        pgpPerson("ines", PgpKeys.generate("Mallory <mallory@evil.example>", 4).toCertificate().getEncoded());
        ldap.startListening();
    }

    private static void pgpPerson(String uid, byte[] key) throws Exception {
        ldap.add(new Entry("uid=" + uid + "," + LDAP_BASE, new Attribute("objectClass", "inetOrgPerson", "pgpKeyInfo"),
            new Attribute("uid", uid), new Attribute("mail", uid + "@partner.example"), new Attribute("pgpKey", key)));
    }

    private static void person(String uid, byte[] certificate) throws Exception {
        ldap.add(new Entry("uid=" + uid + "," + LDAP_BASE, new Attribute("objectClass", "inetOrgPerson"),
            new Attribute("uid", uid), new Attribute("mail", uid + "@partner.example"),
            new Attribute("userCertificate;binary", certificate)));
    }

    @AfterAll
    static void stopServers() throws IOException {
        if (ldap != null) {
            ldap.shutDown(true);
        }
        if (wkd != null) {
            wkd.close();
        }
        if (silent != null) {
            silent.close();
        }
    }

    @BeforeEach
    void startCamel() {
        camel = new DefaultCamelContext();
        // Exchanges still waiting on the hung server are not waited for at the end of a test.
        camel.getShutdownStrategy().setTimeout(1);
        camel.start();
        wkd.requests.clear();
    }

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    @Test
    void wkdAdvancedMethodShouldYieldTheRecipientsOpenPgpKeyOverHttps() throws Exception {
        String hash = WkdHash.of("alice");
        wkd.publish("/.well-known/openpgpkey/wkd.example/hu/" + hash, alice.toCertificate().getEncoded());
        try {
            DiscoveryResult result = discovery(List.of("wkd"), wkdSource(wkd.authority(), Duration.ofSeconds(5)), null)
                .discover("Alice@WKD.example", BOUND);

            assertThat(result.keys()).singleElement().satisfies(key -> {
                assertThat(key.kind()).isEqualTo(DiscoveredKey.Kind.OPENPGP);
                assertThat(key.source()).isEqualTo("wkd https://" + wkd.authority());
                assertThat(key.address()).isEqualTo("alice@wkd.example");
                assertThat(PgpKeys.fingerprint(key.pgpCertificate())).isEqualTo(PgpKeys.fingerprint(alice));
            });
            assertThat(wkd.requests).containsExactly("/.well-known/openpgpkey/wkd.example/hu/" + hash + "?l=alice");
        } finally {
            wkd.publish("/.well-known/openpgpkey/wkd.example/hu/" + hash, new byte[0]);
        }
    }

    @Test
    void wkdShouldFallBackToTheDirectMethodWhenTheAdvancedOneHasNothing() throws Exception {
        OpenPGPKey gina = PgpKeys.generate("gina@direct.example", 4);
        String hash = WkdHash.of("gina");
        wkd.publish("/.well-known/openpgpkey/hu/" + hash, gina.toCertificate().getEncoded());

        DiscoveryResult result = discovery(List.of("wkd"), wkdSource(wkd.authority(), Duration.ofSeconds(5)), null)
            .discover("gina@direct.example", BOUND);

        assertThat(result.keys()).singleElement()
            .satisfies(key -> assertThat(PgpKeys.fingerprint(key.pgpCertificate())).isEqualTo(PgpKeys.fingerprint(gina)));
        assertThat(wkd.requests).containsExactly(
            "/.well-known/openpgpkey/direct.example/hu/" + hash + "?l=gina",
            "/.well-known/openpgpkey/hu/" + hash + "?l=gina");
    }

    @Test
    void wkdKeyForAnotherAddressShouldBeRefusedWithAReason() throws Exception {
        OpenPGPKey mallory = PgpKeys.generate("Mallory <mallory@evil.example>", 4);
        wkd.publish("/.well-known/openpgpkey/hu/" + WkdHash.of("henry"), mallory.toCertificate().getEncoded());

        DiscoveryResult result = discovery(List.of("wkd"), wkdSource(wkd.authority(), Duration.ofSeconds(5)), null)
            .discover("henry@wkd.example", BOUND);

        assertThat(result.keys()).isEmpty();
        assertThat(result.reasons()).singleElement().asString()
            .startsWith("wkd: refused a OPENPGP key")
            .contains("[mallory@evil.example], not henry@wkd.example");
    }

    @Test
    void wkdServerWithAnUntrustedCertificateShouldGiveNothing() throws Exception {
        wkd.publish("/.well-known/openpgpkey/wkd.example/hu/" + WkdHash.of("ivy"),
            PgpKeys.generate("ivy@wkd.example", 4).toCertificate().getEncoded());
        // A client trusting only the JDK's CAs: the loopback server's self-signed certificate is refused.
        WkdSource strict = WkdSource.withAuthority(javax.net.ssl.SSLContext.getDefault(), Duration.ofSeconds(5),
            host -> wkd.authority());

        DiscoveryResult result = discovery(List.of("wkd"), strict, null).discover("ivy@wkd.example", BOUND);

        assertThat(result.keys()).isEmpty();
        assertThat(result.reasons()).singleElement().asString().startsWith("wkd: failed:").contains("certification path");
        assertThat(wkd.requests).isEmpty();
    }

    @Test
    void ldapShouldYieldACertificateChainingToTheScopedAnchorAfterFailingOverFromADeadServer() throws Exception {
        int dead = FreePorts.next();
        KeyDiscoveryFixture fixture = discovery(List.of("ldap"), null,
            ldapSource(List.of("127.0.0.1:" + dead, "127.0.0.1:" + ldap.getListenPort("ldaps"))));

        DiscoveryResult result = fixture.discover("Bob@Partner.example", BOUND);

        assertThat(result.keys()).singleElement().satisfies(key -> {
            assertThat(key.kind()).isEqualTo(DiscoveredKey.Kind.SMIME);
            assertThat(key.source()).startsWith("ldap ldaps://");
            assertThat(key.certificate()).isEqualTo(bob.certificate());
        });
        assertThat(result.fromCache()).isFalse();
    }

    @Test
    void mailEncryptedToAnLdapDiscoveredCertificateShouldDecryptWithOpensslAndTheRecipientsKey(
            @TempDir Path work) throws Exception {
        Prerequisites.require(commandExists("openssl"), "openssl (Debian package openssl)");
        X509Certificate found = discovery(List.of("ldap"), null, ldapSource(List.of(ldapServer())))
            .discover("bob@partner.example", BOUND).keys().get(0).certificate();
        MimeMessage plain = new MimeMessage(Session.getInstance(new Properties()));
        plain.setFrom("alice@sealgate.example");
        plain.setRecipients(javax.mail.Message.RecipientType.TO, "bob@partner.example");
        plain.setSubject("discovered");
        plain.setText("for Bob's discovered key only");
        plain.saveChanges();
        MimeMessage encrypted = new SmimeCrypto().encrypt(plain, List.of(found), EncryptionPolicy.DEFAULT);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        encrypted.writeTo(raw);
        Files.write(work.resolve("mail.eml"), raw.toByteArray());
        bob.writePem(work.resolve("bob.pem"), work.resolve("bob.key"));

        Process openssl = new ProcessBuilder("openssl", "cms", "-decrypt", "-in", "mail.eml", "-recip", "bob.pem",
            "-inkey", "bob.key").directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(openssl.exitValue()).as(out).isZero();
        assertThat(out).contains("for Bob's discovered key only");
    }

    private static boolean commandExists(String command) {
        return java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    @Test
    void ldapOpenPgpKeysShouldBeFoundArmouredOrBinaryAndAKeyForAnotherAddressRefused() throws Exception {
        KeyDiscoveryFixture fixture = discovery(List.of("ldap"), null, ldapSource(List.of(ldapServer())));

        for (OpenPGPKey key : List.of(gina, hugo)) {
            String address = PgpKeys.addresses(key.toCertificate()).get(0);
            assertThat(fixture.discover(address, BOUND).keys()).as(address).singleElement().satisfies(found -> {
                assertThat(found.kind()).isEqualTo(DiscoveredKey.Kind.OPENPGP);
                assertThat(found.source()).startsWith("ldap ldaps://");
                assertThat(PgpKeys.fingerprint(found.pgpCertificate())).isEqualTo(PgpKeys.fingerprint(key));
            });
        }
        DiscoveryResult planted = fixture.discover("ines@partner.example", BOUND);
        assertThat(planted.keys()).isEmpty();
        assertThat(planted.reasons()).singleElement().asString().startsWith("ldap: refused a OPENPGP key: OpenPGP key ")
            .contains("[mallory@evil.example], not ines@partner.example");
    }

    @Test
    void ldapEntryWithGarbageInUserCertificateShouldBeRefusedWithAReason() throws Exception {
        DiscoveryResult result = discovery(List.of("ldap"), null, ldapSource(List.of(ldapServer())))
            .discover("dave@partner.example", BOUND);

        assertThat(result.keys()).isEmpty();
        assertThat(result.reasons()).singleElement().asString().startsWith("ldap: refused a SMIME key: not a certificate");
    }

    @Test
    void ldapCertificateFromAPlantedCaShouldBeRefusedAsUntrusted() throws Exception {
        DiscoveryResult result = discovery(List.of("ldap"), null, ldapSource(List.of(ldapServer())))
            .discover("erin@partner.example", BOUND);

        assertThat(result.keys()).isEmpty();
        assertThat(result.reasons()).singleElement().asString()
            .isEqualTo("ldap: refused a SMIME key: untrusted: no valid certificate path to a trust anchor");
    }

    @Test
    void expiredOrRevokedDiscoveredCertificatesShouldBeRefusedWithTheirReason() throws Exception {
        KeyDiscoveryFixture fixture = discovery(List.of("ldap"), null, ldapSource(List.of(ldapServer())),
            new DiscoveredKeyValidator(anchors(), domain -> domain.equals("sealgate.example"),
                List.of(partnerCa.crl(List.of(carol.certificate().getSerialNumber()))), Clock.systemUTC()));

        assertThat(fixture.discover("frank@partner.example", BOUND).reasons()).singleElement().asString()
            .startsWith("ldap: refused a SMIME key: expired");
        assertThat(fixture.discover("carol@partner.example", BOUND).reasons()).singleElement().asString()
            .startsWith("ldap: refused a SMIME key: revoked");
        assertThat(fixture.discover("bob@partner.example", BOUND).found()).isTrue();
    }

    @Test
    void aCertificateVouchedByAnAnchorOutsideItsScopeShouldBeRefused() throws Exception {
        KeyDiscoveryFixture fixture = discovery(List.of("ldap"), null, ldapSource(List.of(ldapServer())),
            new DiscoveredKeyValidator(List.of(new ScopedAnchor(partnerCa.certificate(), List.of("other.example"))),
                domain -> false, List.of(), Clock.systemUTC()));

        assertThat(fixture.discover("bob@partner.example", BOUND).reasons()).singleElement().asString()
            .contains("may not vouch for partner.example");
    }

    @Test
    void aKeyPublishedForAManagedDomainsAddressShouldBeRefused() throws Exception {
        OpenPGPKey planted = PgpKeys.generate("ceo@sealgate.example", 4);
        wkd.publish("/.well-known/openpgpkey/hu/" + WkdHash.of("ceo"), planted.toCertificate().getEncoded());

        DiscoveryResult result = discovery(List.of("wkd"), wkdSource(wkd.authority(), Duration.ofSeconds(5)), null)
            .discover("ceo@sealgate.example", BOUND);

        assertThat(result.keys()).isEmpty();
        assertThat(result.reasons()).containsExactly(
            "wkd: refused a OPENPGP key: managed domain sealgate.example: keys are never discovered");
    }

    @Test
    void aHangingSourceShouldBeGivenUpAfterItsBoundAndTheNextOneAsked() throws Exception {
        Duration wkdTimeout = Duration.ofMillis(700);
        KeyDiscoveryFixture fixture = discovery(List.of("wkd", "ldap"),
            wkdSource(silent.authority(), wkdTimeout), ldapSource(List.of(ldapServer())));

        long started = System.nanoTime();
        DiscoveryResult result = fixture.discover("bob@partner.example", BOUND);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.keys()).singleElement().satisfies(key -> assertThat(key.source()).startsWith("ldap "));
        assertThat(result.reasons()).containsExactly("wkd: gave up after its timeout of 700 ms");
        assertThat(silent.accepted).isNotEmpty();
        // The bound is the behaviour under test: the hanging server alone would hold the look-up forever.
        assertThat(took).isLessThan(BOUND);
    }

    @Test
    void theCallersBoundShouldCutTheSearchShortAndSayWhichSourcesWereNotAsked() throws Exception {
        KeyDiscoveryFixture fixture = discovery(List.of("wkd", "ldap"),
            wkdSource(silent.authority(), Duration.ofSeconds(3)), ldapSource(List.of(ldapServer())));

        DiscoveryResult result = fixture.discover("bob@partner.example", Duration.ofMillis(500));

        assertThat(result.keys()).isEmpty();
        assertThat(result.reasons()).containsExactly("wkd: given up, the bound of 500 ms was used up",
            "ldap: not asked, the bound of 500 ms was used up");
        // Cut short: not remembered as "nothing there", the next look-up asks again.
        assertThat(fixture.discovery.cache().size()).isZero();
    }

    @Test
    void theSecondLookUpShouldBeAnsweredFromTheCache() throws Exception {
        OpenPGPKey judy = PgpKeys.generate("judy@wkd.example", 4);
        wkd.publish("/.well-known/openpgpkey/wkd.example/hu/" + WkdHash.of("judy"), judy.toCertificate().getEncoded());
        KeyDiscoveryFixture fixture =
            discovery(List.of("wkd"), wkdSource(wkd.authority(), Duration.ofSeconds(5)), null);

        DiscoveryResult first = fixture.discover("judy@wkd.example", BOUND);
        DiscoveryResult second = fixture.discover("JUDY@wkd.example", BOUND);
        DiscoveryResult absent = fixture.discover("nobody@wkd.example", BOUND);
        int requests = wkd.requests.size();
        DiscoveryResult absentAgain = fixture.discover("nobody@wkd.example", BOUND);

        assertThat(first.fromCache()).isFalse();
        assertThat(second.fromCache()).isTrue();
        assertThat(second.keys()).isEqualTo(first.keys());
        assertThat(absent.reasons()).containsExactly("wkd: nothing published for nobody@wkd.example");
        assertThat(absentAgain.fromCache()).isTrue();
        assertThat(wkd.requests).hasSize(requests).hasSize(3);
    }

    @Test
    void theDomainOrderShouldDecideWhichSourcesAreAsked() throws Exception {
        int hungBefore = silent.accepted.size();
        KeyDiscoveryFixture fixture = new KeyDiscoveryFixture(camel,
            List.of(wkdSource(silent.authority(), Duration.ofSeconds(30)), ldapSource(List.of(ldapServer()))),
            new DiscoveryOrder(List.of("wkd"), Map.of("partner.example", List.of("ldap"), "off.example", List.of())),
            validator());

        assertThat(fixture.discover("bob@partner.example", BOUND).keys()).singleElement()
            .satisfies(key -> assertThat(key.source()).startsWith("ldap "));
        assertThat(fixture.discover("kim@off.example", BOUND).reasons())
            .containsExactly("key discovery is off for off.example");
        assertThat(silent.accepted).hasSize(hungBefore);
        assertThat(DiscoveryOrder.parse("WKD, ldap ldap")).containsExactly("wkd", "ldap");
        DiscoveryOrder fromPolicy = DiscoveryOrder.fromPolicy(domain -> domain.equals("partner.example")
            ? List.of("ldap") : List.of());
        assertThat(fromPolicy.forDomain("Partner.Example")).containsExactly("ldap");
        assertThat(fromPolicy.forDomain("other.example")).isEmpty();
        assertThat(DiscoveryOrder.parse("off")).isEmpty();
    }

    private KeyDiscoveryFixture discovery(List<String> order, KeySource wkdSource, KeySource ldapSource) {
        return discovery(order, wkdSource, ldapSource, validator());
    }

    private KeyDiscoveryFixture discovery(List<String> order, KeySource wkdSource, KeySource ldapSource,
                                          DiscoveredKeyValidator validator) {
        List<KeySource> sources = new java.util.ArrayList<>();
        if (wkdSource != null) {
            sources.add(wkdSource);
        }
        if (ldapSource != null) {
            sources.add(ldapSource);
        }
        return new KeyDiscoveryFixture(camel, sources, new DiscoveryOrder(order, Map.of()), validator);
    }

    private static DiscoveredKeyValidator validator() {
        return new DiscoveredKeyValidator(anchors(), domain -> domain.equals("sealgate.example"), List.of(),
            Clock.systemUTC());
    }

    private static List<ScopedAnchor> anchors() {
        return List.of(new ScopedAnchor(partnerCa.certificate(), List.of("partner.example")));
    }

    private static WkdSource wkdSource(String authority, Duration timeout) {
        return WkdSource.withAuthority(tls.client, timeout, host -> authority);
    }

    private static LdapSource ldapSource(List<String> servers) {
        return new LdapSource(new LdapSettings(servers, LdapSettings.Security.LDAPS, tls.client, LDAP_BASE,
            "(mail={0})", Duration.ofSeconds(5)));
    }

    private static String ldapServer() {
        return "127.0.0.1:" + ldap.getListenPort("ldaps");
    }

    /** The discovery under test with a fresh cache. */
    private static final class KeyDiscoveryFixture {
        final CamelKeyDiscovery discovery;

        KeyDiscoveryFixture(CamelContext camel, List<KeySource> sources, DiscoveryOrder order,
                            DiscoveredKeyValidator validator) {
            discovery = CamelKeyDiscovery.start(camel, sources, order, validator,
                new DiscoveryCache(Duration.ofHours(1), Duration.ofMinutes(5), 100, Clock.systemUTC()),
                Clock.systemUTC());
        }

        DiscoveryResult discover(String address, Duration bound) {
            return discovery.discover(address, bound);
        }
    }

    /** Accepts connections and never says a word (a hung key server); closes them all at the end. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        accepted.add(socket.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-key-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String authority() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }
}
