package org.sealgate.routes.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.gina.mail.GinaBackend;
import org.sealgate.gina.mail.SmsGateway;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.mailets.CaptureGinaPhone;
import org.sealgate.mailets.GinaSeal;
import org.sealgate.routes.SealgateCamel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/** The SMS route against a real local HTTP endpoint (JDK HttpServer on a free loopback port). */
class SmsRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "Secure message: your first password for secure messages to carol@x.test is abcd-efgh-ijkm-npqr";

    @TempDir
    Path data;
    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private SealgateCamel camel;

    record Request(String method, String path, String contentType, String authorization, String body) {
    }

    @BeforeEach
    void startGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/sms", exchange -> {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Authorization"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] answer = (status.get() == 200 ? "{\"id\":\"42\"}" : "{\"error\":\"busy\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        camel = SealgateCamel.start(data.resolve("audit"));
    }

    @AfterEach
    void stop() {
        camel.close();
        server.stop(0);
    }

    @Test
    void smsShouldBePostedAsJsonWithBasicAuthentication() throws Exception {
        SmsGateway sms = camel.smsGateway(settings(gatewayUrl()));

        sms.send("+41791234567", TEXT);

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/api/sms");
            assertThat(request.contentType()).startsWith("application/json");
            assertThat(request.authorization()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("sealgate:sms-secret".getBytes(StandardCharsets.UTF_8)));
            JsonNode body = JSON.readTree(request.body());
            assertThat(body.get("to").asText()).isEqualTo("+41791234567");
            assertThat(body.get("text").asText()).isEqualTo(TEXT);
            assertThat(body.get("from").asText()).isEqualTo("Sealgate");
        });
    }

    @Test
    void gatewayErrorShouldBeAClearFailureNamingTheStatusButNotTheText() throws Exception {
        status.set(503);
        SmsGateway sms = camel.smsGateway(settings(gatewayUrl()));

        assertThatThrownBy(() -> sms.send("+41791234567", TEXT)).isInstanceOf(SmsGateway.SmsException.class)
            .hasMessageContaining("answered HTTP 503").hasMessageNotContaining("abcd-efgh");
        assertThat(requests).hasSize(1);
    }

    @Test
    void unreachableGatewayShouldFailWithoutWaitingLong() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SmsGateway sms = camel.smsGateway(settings(URI.create("http://127.0.0.1:" + closedPort + "/api/sms")));

        long start = System.nanoTime();
        assertThatThrownBy(() -> sms.send("+41791234567", TEXT)).isInstanceOf(SmsGateway.SmsException.class)
            .hasMessageContaining("could not be reached");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void ginaMailetShouldFallBackToTheSenderMailAndAuditWhenTheGatewayRefuses() throws Exception {
        status.set(500);
        FileKeyDirectory keys = FileKeyDirectory.open(data.resolve("keys"));
        keys.addManagedIdentity(CertificateIssuer.newCa("SMS Test CA")
            .issue(IssueRequest.forEmail("alice@sender.test", KeyType.EC_P256)).toManagedIdentity("alice@sender.test"));
        GinaAccounts accounts = new GinaAccounts(AccountStores.inMemory(), new PasswordHasher(1024, 1, 1),
            LockoutPolicy.DEFAULT, java.time.Clock.systemUTC());
        GinaSeal mailet = new GinaSeal(GinaBackend.of(new GinaBackend.Access(KeyRing.generate("k1"), accounts,
            URI.create("https://gina.sender.test"))), keys, new SmimeCrypto(), camel.smsGateway(settings(gatewayUrl())),
            camel.auditPublisher());
        FakeMailContext context = FakeMailContext.builder().postmaster(new MailAddress("postmaster@sender.test")).build();
        mailet.init(FakeMailetConfig.builder().mailetName("gina").mailetContext(context)
            .setProperty("nextProcessor", "deliver").setProperty("splitProcessor", "gina")
            .setProperty("failureProcessor", "quarantine").setProperty("firstPasswordChannel", "sms").build());
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("alice@sender.test");
        message.setRecipients(javax.mail.Message.RecipientType.TO, "carol@x.test");
        message.setSubject("contract");
        message.setText("the contract");
        message.saveChanges();
        Mail mail = MailImpl.builder().name("m1").sender("alice@sender.test").addRecipient("carol@x.test")
            .mimeMessage(message).build();
        mail.setAttribute(new Attribute(CaptureGinaPhone.PHONES, AttributeValue.of("+41 79 123 45 67")));

        mailet.service(mail);

        assertThat(requests).hasSize(1);
        String smsText = JSON.readTree(requests.get(0).body()).get("text").asText();
        String firstPassword = smsText.substring(smsText.lastIndexOf(' ') + 1);
        assertThat(mail.getState()).isEqualTo("deliver");
        assertThat(context.getSentMails()).singleElement().satisfies(sent ->
            assertThat(sent.getRecipients()).containsExactly(new MailAddress("alice@sender.test")));
        camel.close();   // writes every queued audit event
        String audit = Files.readString(data.resolve("audit").resolve("audit.jsonl"));
        assertThat(audit).contains("\"outcome\":\"gina-sms-failed\"").contains("answered HTTP 500")
            .contains("+41*******67").doesNotContain(firstPassword).doesNotContain("+41791234567");
    }

    @Test
    void settingsShouldRefuseClearHttpBeyondLoopbackAndHideThePassword() throws Exception {
        assertThatThrownBy(() -> settings(URI.create("http://sms.example.com/api")))
            .hasMessageContaining("must be https");
        assertThat(settings(URI.create("https://sms.example.com/api")).toString()).doesNotContain("sms-secret");
    }

    private URI gatewayUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/sms");
    }

    private SmsSettings settings(URI url) throws IOException {
        Path credentials = Files.writeString(data.resolve("sms.credentials"), "sealgate:sms-secret\n");
        return SmsSettings.of(url, Optional.of(credentials), "Sealgate");
    }
}
