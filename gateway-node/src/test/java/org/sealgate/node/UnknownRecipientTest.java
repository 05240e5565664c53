package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.RefusingReceiver;

/**
 * Unknown recipients in a managed domain are refused at RCPT (550 5.1.1), so the gateway never accepts mail it would
 * later bounce to a forged sender (backscatter). Known: a managed key, the recipients file, postmaster and abuse.
 */
class UnknownRecipientTest {
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final String LISTED = "keyless@" + Gateway.MANAGED_DOMAIN;

    @TempDir
    static Path work;
    static RefusingReceiver nextHop;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        nextHop = new RefusingReceiver(Set.of());
        Path data = work.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("recipients.txt"), "# users without keys\n" + LISTED + "\n", StandardCharsets.UTF_8);
        gateway = Gateway.start(data, Optional.of(nextHop.hostPort()), "default.encrypt = opportunistic\n",
            List.of(Gateway.MANAGED_DOMAIN));
        CertificateIssuer ca = CertificateIssuer.newCa("Sealgate Test CA");
        gateway.keys().addManagedIdentity(ca.issue(IssueRequest.forEmail(BOB, KeyType.RSA_2048)).toManagedIdentity(BOB));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (nextHop != null) {
            nextHop.close();
        }
    }

    @Test
    void rcptToUnknownUserOfManagedDomainShouldBeRefusedWith550AndAudited() throws Exception {
        String nobody = "nobody@" + Gateway.MANAGED_DOMAIN;
        try (SmtpClient outside = new SmtpClient("127.0.0.2", gateway.smtpPort())) {
            assertThat(outside.command("MAIL FROM:<forged@victim.example>").code()).isEqualTo(250);
            SmtpClient.Reply reply = outside.command("RCPT TO:<" + nobody + ">");
            assertThat(reply.code()).isEqualTo(550);
            assertThat(reply.text()).contains("5.1.1");
            assertThat(outside.command("DATA").code()).isBetween(500, 599);    // no recipient: nothing accepted
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.auditEvents().stream()
            .anyMatch(e -> "refused".equals(e.get("outcome")) && String.valueOf(e.get("recipients")).contains(nobody)
                && String.valueOf(e.get("reason")).contains("unknown recipient")));
        // Nothing was queued, so nothing can bounce to the forged sender.
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
            .until(() -> nextHop.receivedFor("forged@victim.example").isEmpty());
    }

    @Test
    void knownRecipientsShouldStillBeAcceptedFromOutside() throws Exception {
        try (SmtpClient outside = new SmtpClient("127.0.0.2", gateway.smtpPort())) {
            assertThat(outside.command("MAIL FROM:<carol@partner.example>").code()).isEqualTo(250);
            assertThat(outside.command("RCPT TO:<" + BOB + ">").code()).isEqualTo(250);                   // managed key
            assertThat(outside.command("RCPT TO:<BOB@Demo.Sealgate.Test>").code()).isEqualTo(250);        // any case
            assertThat(outside.command("RCPT TO:<" + LISTED + ">").code()).isEqualTo(250);                // listed
            assertThat(outside.command("RCPT TO:<postmaster@" + Gateway.MANAGED_DOMAIN + ">").code()).isEqualTo(250);
        }
        byte[] mail = TestMails.plain("carol@partner.example", List.of(BOB), "Hello", "known-rcpt", "hello Bob");
        try (SmtpClient outside = new SmtpClient("127.0.0.2", gateway.smtpPort())) {
            assertThat(outside.mail("carol@partner.example", List.of(BOB), mail).code()).isEqualTo(250);
        }
        assertThat(nextHop.awaitFor(BOB, "known-rcpt@client.test").text()).contains("hello Bob");
    }
}
