package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.mail.internet.MimeMessage;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.cli.ClusterDocuments;
import org.sealgate.cli.KeysCommand;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyImports;
import org.sealgate.keys.KeyType;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.testing.OpenPgpTools;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.SmtpSink;

/**
 * OpenPGP WKD through real nodes: a local HTTPS WKD server (JDK HttpsServer, certificate for
 * {@code openpgpkey.wkd.example} from a test CA the nodes trust through {@code discovery.tls.trust}) on 127.0.0.71:443;
 * both nodes run in their own JVMs with a hosts file naming that address (the JDK's {@code jdk.net.hosts.file}), so
 * the WKD host name is resolved to loopback without touching the machine's DNS. Mail through node A to a new recipient
 * is encrypted with the WKD key (gpg decrypts); with the WKD server stopped, mail through node B uses the key A
 * stored in ZooKeeper. Takes about three minutes (two node JVMs).
 */
class WkdDiscoveryClusterTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String HENRY = "henry@wkd.example";
    private static final String WKD_ADDRESS = "127.0.0.71";
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @TempDir
    static Path work;
    static TestingServer zooKeeper;
    static SmtpSink receiver;
    static ClusterAdmin admin;
    static NodeProcess nodeA;
    static NodeProcess nodeB;
    static OpenPgpTools tools;
    static HttpsServer wkd;
    static byte[] henryKey;
    static final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        Prerequisites.require(OpenPgpTools.gpgAvailable(), "gpg (Debian package gnupg)");
        tools = new OpenPgpTools();
        henryKey = PgpKeys.read(tools.gpgGenerateKey("Henry <" + HENRY + ">")).getEncoded();
        X509Certificate serverCertificate = startWkd();

        zooKeeper = new TestingServer(true);
        receiver = SmtpSink.onFreePort();
        admin = new ClusterAdmin(zooKeeper.getConnectString(), work.resolve("admin"));
        ClusterAdmin.CliResult applied = admin.configApply(ClusterDocuments.twoNodesDiscovering("wkd.example", "wkd"));
        assertThat(applied.status()).as(applied.err()).isZero();
        CertificateIssuer demoCa = CertificateIssuer.newCa("WKD Cluster CA");
        admin.keys().addManagedIdentity(demoCa.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));

        // Only the WKD names go to loopback; the node's own host name stays resolvable.
        Path hosts = Files.writeString(work.resolve("hosts"), "127.0.0.1 localhost\n"
            + WKD_ADDRESS + " openpgpkey.wkd.example wkd.example\n"
            + "127.0.0.1 " + InetAddress.getLocalHost().getHostName() + "\n");
        List<String> jvm = List.of("-Djdk.net.hosts.file=" + hosts);
        nodeA = startNode("node-a", serverCertificate, jvm);
        nodeB = startNode("node-b", serverCertificate, jvm);
    }

    private static NodeProcess startNode(String id, X509Certificate wkdCertificate, List<String> jvm) throws Exception {
        Path data = work.resolve(id);
        int port = admin.prepareNode(data, id, Optional.of(receiver.hostPort()));
        Files.writeString(data.resolve("wkd-trust.pem"), KeyImports.toPem(wkdCertificate), StandardCharsets.US_ASCII);
        Files.writeString(data.resolve(NodeSettings.FILE_NAME), String.join("\n",
            "discovery.bound-ms=5000", "discovery.wkd.timeout-ms=3000", "discovery.tls.trust=wkd-trust.pem", ""),
            StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return NodeProcess.start(data, port, work.resolve(id + ".log"), jvm);
    }

    /** HTTPS on 127.0.0.71:443 (WKD has no port in its URLs); every request counted, Henry's key for his hash. */
    private static X509Certificate startWkd() throws Exception {
        KeyPair pair = CertificateIssuer.generateKeyPair(KeyType.EC_P256);
        X500Name name = new X500Name("CN=openpgpkey.wkd.example");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "openpgpkey.wkd.example"), new GeneralName(GeneralName.dNSName, "wkd.example")}));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate certificate = new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        char[] password = "wkd".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", pair.getPrivate(), password, new X509Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        try {
            wkd = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(WKD_ADDRESS), 443), 16);
        } catch (IOException e) {
            Prerequisites.require(false, "port 443 on " + WKD_ADDRESS + " (root, free): " + e);
        }
        wkd.setHttpsConfigurator(new HttpsConfigurator(tls));
        wkd.createContext("/.well-known/openpgpkey/", WkdDiscoveryClusterTest::serve);
        wkd.start();
        return certificate;
    }

    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = String.valueOf(exchange.getRequestURI().getRawQuery());
            requests.add(exchange.getRequestURI().getPath() + "?" + query);
            if (!query.equals("l=henry")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(200, henryKey.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(henryKey);
            }
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeB, nodeA, admin, receiver, zooKeeper, tools}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (wkd != null) {
            wkd.stop(0);
        }
    }

    @Test
    void keyFoundAtWkdThroughNodeAShouldBeUsedByNodeBWithTheWkdServerGone() throws Exception {
        send(nodeA.smtpPort(), "wkd-a");
        assertDecryptsForHenry("wkd-a");
        assertThat(policyOf(awaitAudit(nodeA.data(), "wkd-a"))).startsWith("pgp (")
            .contains("discovery: found OPENPGP key at wkd https://openpgpkey.wkd.example");
        assertThat(requests).singleElement().asString().startsWith("/.well-known/openpgpkey/wkd.example/hu/");
        Awaitility.await().atMost(WITHIN).until(() -> keysList().contains(HENRY));
        assertThat(keysList()).contains(HENRY + "  OpenPGP v4").contains("source wkd https://openpgpkey.wkd.example");

        wkd.stop(0);
        send(nodeB.smtpPort(), "wkd-b");
        assertDecryptsForHenry("wkd-b");
        assertThat(policyOf(awaitAudit(nodeB.data(), "wkd-b"))).startsWith("pgp (").doesNotContain("discovery");
        assertThat(requests).as("node B made no request").hasSize(1);
    }

    private static void send(int port, String id) throws Exception {
        assertThat(SmtpClient.send(port, ALICE, List.of(HENRY), TestMails.plain(ALICE, List.of(HENRY), "hello", id,
            "secret plans " + id)).code()).isEqualTo(250);
    }

    private static void assertDecryptsForHenry(String id) throws Exception {
        MimeMessage received = receiver.awaitOne(HENRY, id);
        assertThat(received.getContentType()).contains("multipart/encrypted");
        tools.write(id + ".asc", PgpMails.payload(received));
        OpenPgpTools.Result decrypted = tools.gpg("--decrypt", id + ".asc");
        assertThat(decrypted.ok()).as(decrypted.toString()).isTrue();
        assertThat(decrypted.out()).contains("secret plans " + id);
    }

    private static String keysList() throws Exception {
        List<String> args = new ArrayList<>(List.of("list", "--zk", zooKeeper.getConnectString(),
            "--admin-credentials", admin.adminCredentials.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(KeysCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> awaitAudit(Path data, String messageIdFragment) {
        Callable<Optional<Map<String, Object>>> find = () -> Gateway.auditEvents(data).stream()
            .filter(e -> String.valueOf(e.get("messageId")).contains(messageIdFragment)).findFirst();
        return Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).until(find, Optional::isPresent)
            .orElseThrow();
    }

    private static String policyOf(Map<String, Object> event) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> recipients = (List<Map<String, Object>>) event.get("recipients");
        return recipients.stream().filter(r -> HENRY.equalsIgnoreCase(r.get("recipient").toString())).findFirst()
            .map(r -> String.valueOf(r.get("policy"))).orElseThrow();
    }
}
