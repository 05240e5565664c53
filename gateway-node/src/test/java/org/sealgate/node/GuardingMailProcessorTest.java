package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;
import org.sealgate.mailets.AuditTrail;

/** The spooler's processor behind the guard: an Error from any mailet, James's own included, never reaches the spooler. */
class GuardingMailProcessorTest {

    private static Mail mail() throws Exception {
        return MailImpl.builder().name("m1").sender("a@example.com")
            .addRecipients(new MailAddress("b@example.com"), new MailAddress("c@example.com")).state("root").build();
    }

    @Test
    void errorInAJamesMailetShouldSendTheWholeMailToQuarantineWithTheReason() throws Exception {
        List<String> states = new ArrayList<>();
        Mail mail = mail();
        new MailGuardModule.GuardingMailProcessor(m -> {
            states.add(m.getState());
            if (m.getState().equals("root")) {
                m.setState("transport");
                m.setRecipients(List.of(new MailAddress("b@example.com")));   // a matcher split one recipient off
                throw new StackOverflowError();
            }
        }).service(mail);

        assertThat(states).containsExactly("root", "quarantine");
        assertThat(mail.getRecipients()).hasSize(2);
        assertThat(AuditTrail.reason(mail).orElseThrow()).contains("processor transport").contains("StackOverflowError");
    }

    @Test
    void failuresEverywhereShouldEndInABoundedMessagingException() throws Exception {
        List<String> states = new ArrayList<>();
        MailGuardModule.GuardingMailProcessor processor = new MailGuardModule.GuardingMailProcessor(m -> {
            states.add(m.getState());
            throw new OutOfMemoryError("Java heap space");
        });

        assertThatThrownBy(() -> processor.service(mail())).isInstanceOf(MessagingException.class);
        assertThat(states).containsExactly("root", "quarantine", "error");
    }
}
