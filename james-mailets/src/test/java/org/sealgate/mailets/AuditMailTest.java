package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.mail.MessagingException;

import org.apache.james.core.MaybeSender;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sealgate.audit.AuditEvent;
import org.sealgate.testing.TestMessages;

class AuditMailTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final List<AuditEvent> published = new ArrayList<>();
    private final FakeMailContext context = FakeMailContext.defaultContext();

    private AuditMail mailet(String outcome) throws MessagingException {
        AuditMail mailet = new AuditMail(published::add, Clock.fixed(NOW, ZoneOffset.UTC));
        mailet.init(outcome == null ? config(context) : config(context, "outcome", outcome));
        return mailet;
    }

    private static FakeMail mail(String... recipients) throws MessagingException {
        return FakeMail.builder().name("mail-1").sender(TestMessages.FROM).recipients(recipients)
            .mimeMessage(TestMessages.text("x")).state("deliver").build();
    }

    @ParameterizedTest(name = "outcome={0}")
    @ValueSource(strings = {"", "delivered", "RELAYED", "bounce"})
    void initShouldRejectAnUnknownOutcome(String outcome) {
        assertThatThrownBy(() -> mailet(outcome)).isInstanceOf(MessagingException.class).hasMessageContaining("outcome");
    }

    @Test
    void initShouldRejectAMissingOutcome() {
        assertThatThrownBy(() -> mailet(null)).isInstanceOf(MessagingException.class).hasMessageContaining("outcome");
    }

    @ParameterizedTest(name = "outcome={0}")
    @ValueSource(strings = {"relayed", "stored", "bounced", "held", "quarantined", "refused", "error"})
    void initShouldAcceptEveryKnownOutcome(String outcome) throws Exception {
        mailet(outcome).service(mail("bob@partner.test"));

        assertThat(published).singleElement().satisfies(event -> assertThat(event.outcome()).isEqualTo(outcome));
    }

    @Test
    void auditShouldPublishExactlyOneEventWithEverythingTheTrailRecorded() throws Exception {
        FakeMail mail = mail("bob@partner.test", "carol@partner.test");
        AuditTrail.recordDirection(mail, "outbound");
        AuditTrail.recordStep(mail, "smime-sign", Map.of("bob@partner.test", "signer:aa", "carol@partner.test", "signer:aa"));
        AuditTrail.recordStep(mail, "smime-encrypt", Map.of("bob@partner.test", "b0b", "carol@partner.test", "ca401"));
        AuditTrail.recordReason(mail, "all fine");
        String messageId = mail.getMessage().getMessageID();

        mailet("relayed").service(mail);

        assertThat(published).containsExactly(new AuditEvent(NOW, messageId, "outbound", TestMessages.FROM,
            List.of(new AuditEvent.RecipientOutcome("bob@partner.test", "smime-sign+smime-encrypt", "signer:aa/b0b"),
                new AuditEvent.RecipientOutcome("carol@partner.test", "smime-sign+smime-encrypt", "signer:aa/ca401")),
            "relayed", "all fine"));
        assertThat(mail.getState()).isEqualTo("deliver");
    }

    @Test
    void auditShouldFallBackToTheMailErrorMessageAsReason() throws Exception {
        FakeMail mail = mail("bob@partner.test");
        mail.setErrorMessage("SmimeEncrypt: no certificate known for bob@partner.test");

        mailet("error").service(mail);

        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.reason()).isEqualTo("SmimeEncrypt: no certificate known for bob@partner.test");
            assertThat(event.direction()).isEqualTo("unknown");
            assertThat(event.recipients()).containsExactly(new AuditEvent.RecipientOutcome("bob@partner.test", "none", ""));
        });
    }

    @Test
    void auditShouldUseAnEmptySenderForTheNullSender() throws Exception {
        FakeMail mail = FakeMail.builder().name("dsn").sender(MaybeSender.nullSender()).recipient("bob@partner.test")
            .mimeMessage(TestMessages.text("x")).build();

        mailet("held").service(mail);

        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.sender()).isEmpty();
            assertThat(event.reason()).isEmpty();
        });
    }

    @Test
    void auditShouldKeepSignerAndEncryptionKeysOfARecipientWithUpperCaseLetters() throws Exception {
        FakeMail mail = mail("Bob@partner.test");
        AuditTrail.recordStep(mail, "smime-sign", Map.of("Bob@partner.test", "signer:aa"));
        AuditTrail.recordStep(mail, "smime-encrypt", Map.of("Bob@partner.test", "b0b"));

        mailet("relayed").service(mail);

        assertThat(published).singleElement().satisfies(event -> assertThat(event.recipients()).containsExactly(
            new AuditEvent.RecipientOutcome("Bob@partner.test", "smime-sign+smime-encrypt", "signer:aa/b0b")));
    }

    @Test
    void logLineShouldNameTheMailAndRecipientsWithoutLettingHeadersForgeLines() {
        org.sealgate.audit.AuditEvent event = new org.sealgate.audit.AuditEvent(java.time.Instant.EPOCH,
            "<id@x>\r\n12:00 INFO forged", "outbound", "alice@demo.test",
            java.util.List.of(new org.sealgate.audit.AuditEvent.RecipientOutcome("bob@partner.test", "smime-encrypt", "ab"),
                new org.sealgate.audit.AuditEvent.RecipientOutcome("dave@partner.test", "none", "")),
            "bounced", "policy requires encryption");

        String line = AuditMail.logLine("Mail1234", event);

        org.assertj.core.api.Assertions.assertThat(line).isEqualTo("mail Mail1234 message-id <id@x>??12:00 INFO forged outbound"
            + " bounced from <alice@demo.test> to bob@partner.test (smime-encrypt), dave@partner.test (none):"
            + " policy requires encryption");
    }
    @Test
    void printableShouldKeepOnlyPrintableAsciiAndCutAt300CharactersAsTheRegexDid() {
        java.util.List<String> texts = java.util.List.of("", "plain <id@x>", "tab\tcr\rlf\n\u0000del\u007f",
            "caf\u00e9 \ud83d\ude00 \u202e", "x".repeat(300), "y".repeat(301), "\ud83d\ude00".repeat(400),
            "z".repeat(299) + "\ud83d\ude00tail");
        for (String text : texts) {
            String regex = text.replaceAll("[^\\x20-\\x7E]", "?");
            String before = regex.length() > 300 ? regex.substring(0, 300) + "..." : regex;

            org.assertj.core.api.Assertions.assertThat(AuditMail.printable(text)).as(text).isEqualTo(before);
        }
        org.assertj.core.api.Assertions.assertThat(AuditMail.printable(null)).isEmpty();
    }
}
