package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.nio.file.Path;
import java.time.Duration;

import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.budget.MailMemoryBudget;
import org.sealgate.budget.MailMemoryBudgets;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

/** The whole-message mailets under the node's memory budget: they reserve, release, and hold a mail that waited too long. */
class MemoryBudgetMailetsTest {
    private static final String BOB = "bob@partner.test";

    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final MailMemoryBudget budget = MailMemoryBudgets.of(1 << 20, 1, Duration.ofMillis(300));
    private SmimeSign sign;

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        FileKeyDirectory keys = FileKeyDirectory.open(dir);
        keys.addManagedIdentity(TestPki.aliceRsa().toManagedIdentity());
        sign = new SmimeSign(new SmimeCrypto(), keys, MailetFixtures.policy(""), budget);
        sign.init(config(context));
    }

    @Test
    void mailetShouldReleaseItsReservationWhenDone() throws Exception {
        Mail mail = mail(TestMessages.text("signed within the budget"), TestMessages.FROM, BOB);

        sign.service(mail);

        assertThat(MailetFixtures.bytes(mail)).asString().contains("multipart/signed");
        assertThat(budget.reservedBytes()).isZero();
    }

    @Test
    void mailThatWaitedTooLongShouldBeHeldUnchangedWithTheReason() throws Exception {
        MimeMessage original = TestMessages.text("no room now");
        Mail mail = mail(original, TestMessages.FROM, BOB);
        mail.setState("smime");
        String before = new String(MailetFixtures.bytes(mail), java.nio.charset.StandardCharsets.ISO_8859_1);

        try (MailMemoryBudget.Reservation everything = budget.reserve(1 << 20).orElseThrow()) {
            sign.service(mail);
        }

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(AuditTrail.reason(mail)).hasValueSatisfying(reason ->
            assertThat(reason).contains("S/MIME signing").contains("memory budget busy").contains("held for a retry"));
        assertThat(new String(MailetFixtures.bytes(mail), java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo(before);
        assertThat(budget.reservedBytes()).isZero();
    }

    @Test
    void busyProcessorShouldBeConfigurable() throws Exception {
        sign.init(config(context, "busyProcessor", "error"));
        Mail mail = mail(TestMessages.text("no room now"), TestMessages.FROM, BOB);

        try (MailMemoryBudget.Reservation everything = budget.reserve(1 << 20).orElseThrow()) {
            sign.service(mail);
        }

        assertThat(mail.getState()).isEqualTo("error");
    }
}
