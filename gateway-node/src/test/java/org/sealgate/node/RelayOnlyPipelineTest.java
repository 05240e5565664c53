package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.SmtpSink;

/** The benchmark baseline: the same James, queue and delivery, none of Sealgate's mailets. */
class RelayOnlyPipelineTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;

    @TempDir
    Path work;

    @Test
    void relayOnlyPipelineShouldDeliverMailUntouchedEvenWhenKeysExist() throws Exception {
        try (SmtpSink receiver = SmtpSink.onFreePort();
             Gateway gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()),
                 "default.encrypt = required\n", List.of(Gateway.MANAGED_DOMAIN), NodeSettings.Pipeline.RELAY_ONLY)) {
            CertificateIssuer ca = CertificateIssuer.newCa("Baseline CA");
            gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
            gateway.keys().addCertificate(ca.issue(IssueRequest.forEmail("carol@partner.example", KeyType.RSA_2048)).certificate());
            List<String> to = List.of("carol@partner.example");

            SmtpClient.send(gateway.smtpPort(), ALICE, to, TestMails.plain(ALICE, to, "Plain", "baseline-1", "as sent"));

            MimeMessage received = receiver.awaitOne("carol@partner.example", "baseline-1");
            assertThat(received.getContentType()).startsWith("text/plain");
            assertThat(SmtpSink.text(received)).contains("as sent");
            assertThat(gateway.auditEvents()).isEmpty();
        }
    }
}
