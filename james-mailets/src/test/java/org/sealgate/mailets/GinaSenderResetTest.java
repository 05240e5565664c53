package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.Test;
import org.sealgate.audit.AuditEvent;
import org.sealgate.gina.account.AccountState;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.account.GinaAccount;
import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.account.Recovery;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.gina.mail.GinaBackend;
import org.sealgate.gina.mail.SmsGateway;
import org.sealgate.testing.TestMessages;

class GinaSenderResetTest {
    private static final String ALICE = TestMessages.FROM;
    private static final String CAROL = "carol@keyless.test";
    private static final String DAVE = "dave@keyless.test";
    private static final Pattern FIRST_PASSWORD = Pattern.compile("\\n\\s+([A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4})\\s*\\n");

    private final FakeMailContext context = FakeMailContext.builder().postmaster(address("postmaster@sealgate.test")).build();
    private final GinaAccounts accounts = new GinaAccounts(AccountStores.inMemory(), new PasswordHasher(1024, 1, 1),
        LockoutPolicy.DEFAULT, Clock.systemUTC());
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();

    @Test
    void resetMailShouldBeConsumedAndGiveTheSenderANewWorkingFirstPassword() throws Exception {
        String old = accounts.ensureAccount(CAROL).firstPassword().orElseThrow();
        accounts.register(CAROL, old, "carol's own long password", Recovery.NONE);
        Mail command = mail(withSubject("[gina-reset] please"), ALICE, CAROL, DAVE);

        mailet("PT10M").service(command);

        assertThat(command.getState()).isEqualTo(Mail.GHOST);
        assertThat(accounts.find(CAROL)).get().extracting(GinaAccount::state).isEqualTo(AccountState.AWAITING_REGISTRATION);
        assertThat(context.getSentMails()).singleElement().satisfies(sent ->
            assertThat(sent.getRecipients()).containsExactly(address(ALICE)));
        String report = TestMessages.firstText(context.getSentMails().get(0).getMsg());
        assertThat(report).contains("No GINA account for " + DAVE);
        assertThat(accounts.find(DAVE)).isEmpty();
        String fresh = firstPassword(report);
        accounts.register(CAROL, fresh, "carol's second long password", Recovery.NONE);
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("gina-reset", "gina-reset-refused");
        assertThat(audit).allSatisfy(event -> assertThat(event.reason()).doesNotContain(fresh));
    }

    @Test
    void resetKeywordFromAnOutsideSenderShouldNotBeHonoured() throws Exception {
        String old = accounts.ensureAccount(CAROL).firstPassword().orElseThrow();
        Mail command = mail(withSubject("[gina-reset] give me Carol's password"), "mallory@evil.example", CAROL);

        mailet("PT10M").service(command);

        assertThat(command.getState()).isNotEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).isEmpty();
        accounts.register(CAROL, old, "carol's own long password", Recovery.NONE);   // the old first password still works
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("gina-reset-refused");
        assertThat(audit.get(0).reason()).contains("not in a managed domain");
    }

    @Test
    void secondResetWithinTheIntervalShouldBeRefused() throws Exception {
        accounts.ensureAccount(CAROL);
        GinaSenderReset mailet = mailet("PT10M");
        mailet.service(mail(withSubject("[gina-reset]"), ALICE, CAROL));
        String first = firstPassword(TestMessages.firstText(context.getSentMails().get(0).getMsg()));

        mailet.service(mail(withSubject("[GINA-RESET]"), ALICE, CAROL));

        assertThat(TestMessages.firstText(context.getSentMails().get(1).getMsg())).contains("not reset again");
        accounts.register(CAROL, first, "carol's own long password", Recovery.NONE);
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("gina-reset", "gina-reset-refused");
    }

    @Test
    void withTheSmsChannelAndANumberTheNewFirstPasswordShouldGoBySmsNotInTheReply() throws Exception {
        accounts.ensureAccount(CAROL);
        List<String[]> texts = new CopyOnWriteArrayList<>();
        GinaSenderReset mailet = new GinaSenderReset(backend(), (phone, text) -> texts.add(new String[] {phone, text}),
            audit::add);
        mailet.init(config(context, "firstPasswordChannel", "sms"));
        Mail command = mail(withSubject("[gina-reset]"), ALICE, CAROL);
        command.setAttribute(new org.apache.mailet.Attribute(CaptureGinaPhone.PHONES,
            org.apache.mailet.AttributeValue.of(CAROL + "=+41 79 123 45 67")));

        mailet.service(command);

        assertThat(texts).singleElement().satisfies(sms -> assertThat(sms[0]).isEqualTo("+41791234567"));
        String password = sms(texts.get(0)[1]);
        accounts.register(CAROL, password, "carol's own long password", Recovery.NONE);
        String report = TestMessages.firstText(context.getSentMails().get(0).getMsg());
        assertThat(report).contains("sent by SMS to").doesNotContain(password);
    }

    private static String sms(String text) {
        return text.substring(text.lastIndexOf(' ') + 1);
    }

    @Test
    void mailWithoutKeywordShouldPassUntouched() throws Exception {
        Mail mail = mail(withSubject("quarterly figures"), ALICE, CAROL);
        mailet("PT10M").service(mail);
        assertThat(mail.getState()).isNotEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).isEmpty();
        assertThat(audit).isEmpty();
    }

    @Test
    void initShouldRejectABadInterval() {
        GinaSenderReset mailet = new GinaSenderReset(backend(), SmsGateway.NONE, audit::add);
        assertThatThrownBy(() -> mailet.init(config(context, "minInterval", "ten minutes")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("minInterval");
    }

    private GinaSenderReset mailet(String interval) throws MessagingException {
        GinaSenderReset mailet = new GinaSenderReset(backend(), SmsGateway.NONE, audit::add);
        mailet.init(config(context, "minInterval", interval));
        return mailet;
    }

    private GinaBackend backend() {
        return GinaBackend.of(new GinaBackend.Access(KeyRing.generate("k1"), accounts, URI.create("https://gina.test")));
    }

    private static javax.mail.internet.MimeMessage withSubject(String subject) throws MessagingException {
        javax.mail.internet.MimeMessage message = TestMessages.text("body");
        message.setSubject(subject);
        message.saveChanges();
        return message;
    }

    private static String firstPassword(String text) {
        Matcher matcher = FIRST_PASSWORD.matcher(text.replace("\r\n", "\n"));
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
