package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.SmtpSink;

/** A mail the held-mail store cannot take (here: its directory is a file) is kept by James, never lost or sent. */
class HeldMailWriteErrorTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;

    @TempDir
    Path work;

    @Test
    void aMailThatCannotBeHeldShouldStayInTheErrorRepository() throws Exception {
        try (SmtpSink receiver = SmtpSink.onFreePort();
             Gateway gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()),
                 "domain.secure.example.encrypt = required\ndomain.secure.example.unencryptable = hold\n",
                 List.of(Gateway.MANAGED_DOMAIN))) {
            gateway.keys().addManagedIdentity(CertificateIssuer.newCa("Write error CA")
                .issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048)).toManagedIdentity(ALICE));
            Files.deleteIfExists(gateway.layout().held());
            Files.writeString(gateway.layout().held(), "not a directory");

            SmtpClient.send(gateway.smtpPort(), ALICE, List.of("dave@secure.example"),
                TestMails.plain(ALICE, List.of("dave@secure.example"), "Cannot hold", "held-error", "kept body"));

            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> gateway.errors() == 1);
            assertThat(receiver.messagesFor("dave@secure.example")).isEmpty();
            // The audit trail is written asynchronously (Camel): wait for the line rather than race it.
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(gateway.auditEvents())
                .anyMatch(e -> "error".equals(e.get("outcome")) && String.valueOf(e.get("messageId")).contains("held-error")));
            assertThat(gateway.auditEvents()).noneMatch(e -> "held".equals(e.get("outcome")));
        }
    }
}
