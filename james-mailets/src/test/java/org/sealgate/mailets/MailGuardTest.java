package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.lang.reflect.Proxy;
import java.util.Collection;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.GenericMailet;
import org.apache.mailet.base.GenericMatcher;
import org.apache.mailet.base.MatcherInverter;
import org.junit.jupiter.api.Test;
import org.sealgate.testing.TestMessages;

class MailGuardTest {

    /** Recurses until the stack is gone, as a recursive MIME walk over a hostile mail would. */
    public static final class Recursing extends GenericMailet {
        @Override
        public void service(Mail mail) {
            descend(0);
        }

        private static int descend(int depth) {
            return descend(depth + 1) + 1;
        }
    }

    public static final class Failing extends GenericMailet {
        @Override
        public void service(Mail mail) {
            throw new IllegalStateException("bug");
        }
    }

    public static final class FailingMatcher extends GenericMatcher {
        @Override
        public Collection<MailAddress> match(Mail mail) {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void stackOverflowInAMailetShouldQuarantineTheMailWithTheReason() throws Exception {
        Mail mail = mail(TestMessages.text("hello"), "a@example.com", "b@example.com");
        mail.setState("inbound");

        MailGuard.guard(new Recursing()).service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(AuditTrail.reason(mail).orElseThrow()).contains("internal failure in Recursing: StackOverflowError");
    }

    @Test
    void runtimeExceptionInASealgateMailetShouldQuarantineTheMail() throws Exception {
        Mail mail = mail(TestMessages.text("hello"), "a@example.com", "b@example.com");
        mail.setState("outbound");

        MailGuard.guard(new Failing()).service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(AuditTrail.reason(mail).orElseThrow()).contains("IllegalStateException (bug)");
    }

    @Test
    void jamesMailetsShouldNotBeWrapped() {
        // James checks some of its mailets by class at start (RemoveMimeHeader in transport, ...).
        Mailet foreign = (Mailet) Proxy.newProxyInstance(Mailet.class.getClassLoader(), new Class<?>[] {Mailet.class},
            (proxy, method, args) -> null);
        assertThat(MailGuard.guard(foreign)).isSameAs(foreign);
    }

    @Test
    void failureInsideQuarantineShouldGoToErrorAndInsideErrorBecomeAMessagingException() throws Exception {
        Mail mail = mail(TestMessages.text("hello"), "a@example.com", "b@example.com");
        mail.setState("quarantine");
        MailGuard.guard(new Recursing()).service(mail);
        assertThat(mail.getState()).isEqualTo(Mail.ERROR);

        // James retries a MessagingException a bounded number of times, then keeps the mail in its error repository.
        assertThatThrownBy(() -> MailGuard.guard(new Recursing()).service(mail)).isInstanceOf(MessagingException.class)
            .hasMessageContaining("StackOverflowError");
    }

    @Test
    void errorInASealgateMatcherShouldMatchNoneAndQuarantineTheMail() throws Exception {
        Mail mail = mail(TestMessages.text("hello"), "a@example.com", "b@example.com");
        mail.setState("encrypt");
        Matcher guarded = MailGuard.guard(new FailingMatcher());

        assertThat(guarded.match(mail)).isEmpty();
        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(AuditTrail.reason(mail).orElseThrow()).contains("OutOfMemoryError");
    }

    @Test
    void jamesMatchersShouldNotBeWrapped() {
        Matcher inverter = new MatcherInverter(new FailingMatcher());
        assertThat(MailGuard.guard(inverter)).isSameAs(inverter);
    }
}
