package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

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
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.mailets.CaptureGinaPhone;
import org.sealgate.mailets.GinaSeal;
import org.sealgate.routes.SealgateCamel;
import org.sealgate.routes.sms.SmsSettings;
import org.sealgate.testing.RecordingHttpEndpoint;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The GINA mailet with the real Camel SMS and audit routes (the wiring the node makes): a refusing SMS gateway
 * falls back to mailing the first password to the sender, and the audit names the failure, never the password.
 * The sender is in the fake mailet context's own domain (localhost): GINA first contact is only for managed senders.
 */
class GinaSmsFallbackTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    private RecordingHttpEndpoint smsGateway;
    private SealgateCamel camel;

    @BeforeEach
    void startGateway() throws IOException {
        smsGateway = RecordingHttpEndpoint.start("/api/sms", "{\"id\":\"42\"}", "{\"error\":\"busy\"}");
        camel = SealgateCamel.start(data.resolve("audit"));
    }

    @AfterEach
    void stop() {
        camel.close();
        smsGateway.close();
    }

    @Test
    void ginaMailetShouldFallBackToTheSenderMailAndAuditWhenTheGatewayRefuses() throws Exception {
        smsGateway.answerWith(500);
        FileKeyDirectory keys = FileKeyDirectory.open(data.resolve("keys"));
        keys.addManagedIdentity(CertificateIssuer.newCa("SMS Test CA")
            .issue(IssueRequest.forEmail("alice@localhost", KeyType.EC_P256)).toManagedIdentity("alice@localhost"));
        GinaAccounts accounts = new GinaAccounts(AccountStores.inMemory(), new PasswordHasher(1024, 1, 1),
            LockoutPolicy.DEFAULT, java.time.Clock.systemUTC());
        GinaSeal mailet = new GinaSeal(GinaBackend.of(new GinaBackend.Access(KeyRing.generate("k1"), accounts,
            URI.create("https://gina.sender.test"))), keys, new SmimeCrypto(), camel.smsGateway(settings(gatewayUrl())),
            camel.auditPublisher());
        FakeMailContext context = FakeMailContext.builder().postmaster(new MailAddress("postmaster@localhost")).build();
        mailet.init(FakeMailetConfig.builder().mailetName("gina").mailetContext(context)
            .setProperty("nextProcessor", "deliver").setProperty("splitProcessor", "gina")
            .setProperty("failureProcessor", "quarantine").setProperty("firstPasswordChannel", "sms").build());
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("alice@localhost");
        message.setRecipients(javax.mail.Message.RecipientType.TO, "carol@x.test");
        message.setSubject("contract");
        message.setText("the contract");
        message.saveChanges();
        Mail mail = MailImpl.builder().name("m1").sender("alice@localhost").addRecipient("carol@x.test")
            .mimeMessage(message).build();
        mail.setAttribute(new Attribute(CaptureGinaPhone.PHONES, AttributeValue.of("+41 79 123 45 67")));

        mailet.service(mail);

        assertThat(smsGateway.requests()).hasSize(1);
        String smsText = JSON.readTree(smsGateway.requests().get(0).body()).get("text").asText();
        String firstPassword = smsText.substring(smsText.lastIndexOf(' ') + 1);
        assertThat(mail.getState()).isEqualTo("deliver");
        assertThat(context.getSentMails()).singleElement().satisfies(sent ->
            assertThat(sent.getRecipients()).containsExactly(new MailAddress("alice@localhost")));
        camel.close();   // writes every queued audit event
        String audit = Files.readString(data.resolve("audit").resolve("audit.jsonl"));
        assertThat(audit).contains("\"outcome\":\"gina-sms-failed\"").contains("answered HTTP 500")
            .contains("+41*******67").doesNotContain(firstPassword).doesNotContain("+41791234567");
    }

    private URI gatewayUrl() {
        return smsGateway.uri();
    }

    private SmsSettings settings(URI url) throws IOException {
        Path credentials = Files.writeString(data.resolve("sms.credentials"), "sealgate:sms-secret\n");
        return SmsSettings.of(url, Optional.of(credentials), "Sealgate");
    }
}
