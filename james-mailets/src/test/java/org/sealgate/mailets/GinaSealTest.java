package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.audit.AuditEvent;
import org.sealgate.crypto.SignatureStatus;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.crypto.VerificationPolicy;
import org.sealgate.crypto.VerificationResult;
import org.sealgate.gina.account.AccountState;
import org.sealgate.gina.account.AccountStore;
import org.sealgate.gina.account.AccountStoreException;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.account.GinaAccount;
import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.account.Recovery;
import org.sealgate.gina.account.StoredAccount;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.container.SecureMessagePage;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.gina.mail.GinaBackend;
import org.sealgate.gina.mail.SmsGateway;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

class GinaSealTest {
    private static final String ALICE = TestMessages.FROM;
    private static final String CAROL = "carol@keyless.test";
    private static final String DAVE = "dave@keyless.test";
    private static final String GATEWAY = "secure-mail@sealgate.test";
    private static final URI PORTAL = URI.create("https://gina.sealgate.test:8443");
    private static final Pattern FIRST_PASSWORD = Pattern.compile("\\n\\s+([A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4})\\s*\\n");

    private final SmimeCrypto crypto = new SmimeCrypto();
    private final FakeMailContext context = FakeMailContext.builder().postmaster(mailAddress("postmaster@sealgate.test")).build();
    private final KeyRing ring = KeyRing.generate("k1");
    private final AccountStore store = AccountStores.inMemory();
    private final GinaAccounts accounts = new GinaAccounts(store, new PasswordHasher(1024, 1, 1), LockoutPolicy.DEFAULT,
        Clock.systemUTC());
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    private final List<String[]> texts = new CopyOnWriteArrayList<>();
    private FileKeyDirectory keys;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        keys = FileKeyDirectory.open(dir);
        keys.addManagedIdentity(TestPki.aliceRsa().toManagedIdentity());
    }

    @Test
    void carrierShouldBeSignedBySenderAndHoldTheByteIdenticalOriginalSealedForTheRecipient() throws Exception {
        MimeMessage original = TestMessages.withAttachment("the quarterly figures", TestMessages.randomBytes(20_000, 7));
        byte[] originalBytes = TestMessages.bytes(original);
        Mail mail = mail(original, ALICE, CAROL);

        mailet(SmsGateway.NONE, "sender").service(mail);

        assertThat(mail.getState()).isEqualTo("deliver");
        MimeMessage carrier = TestMessages.parse(MailetFixtures.bytes(mail));
        assertThat(carrier.getContentType()).startsWith("multipart/signed");
        VerificationResult verified = crypto.verify(carrier, VerificationPolicy.trusting(List.of(TestPki.ca().certificate())));
        assertThat(verified.status()).as(verified.detail()).isEqualTo(SignatureStatus.VALID);
        assertThat(verified.signerCertificate()).contains(TestPki.aliceRsa().certificate());
        assertThat(carrier.getHeader("To", ",")).isEqualTo(CAROL);
        assertThat(carrier.getHeader("From", ",")).isEqualTo(ALICE);
        assertThat(carrier.getSubject()).isEqualTo(original.getSubject());
        assertThat(carrier.getMessageID()).isEqualTo(original.getMessageID());

        String text = TestMessages.firstText(carrier);
        assertThat(text).contains(ALICE + " has sent you an encrypted message").contains(PORTAL.toString())
            .doesNotContain("the quarterly figures");
        GinaContainer container = SecureMessagePage.extract(page(carrier));
        assertThat(container.recipient()).isEqualTo(CAROL);
        assertThat(container.messageId()).isEqualTo(original.getMessageID());
        assertThat(container.keyId()).isEqualTo("k1");
        byte[] opened = new ContainerCrypto().open(container, CAROL, ring);
        assertThat(opened).isEqualTo(originalBytes);
        assertThat(TestMessages.attachment(TestMessages.parse(opened))).isEqualTo(TestMessages.attachment(original));
        assertThat(MailetFixtures.event(mail).recipients()).singleElement().satisfies(outcome -> {
            assertThat(outcome.method()).isEqualTo("gina");
            assertThat(outcome.keyFingerprint()).startsWith("gina-key:k1 signer:");
        });
    }

    @Test
    void firstContactShouldCreateTheAccountAndMailAWorkingFirstPasswordToTheSenderOnlyOnce() throws Exception {
        GinaSeal mailet = mailet(SmsGateway.NONE, "sender");

        mailet.service(mail(TestMessages.text("one"), ALICE, CAROL));

        assertThat(accounts.find(CAROL)).get().extracting(GinaAccount::state).isEqualTo(AccountState.AWAITING_REGISTRATION);
        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getState()).isEqualTo("deliver");
            assertThat(sent.getRecipients()).containsExactly(mailAddress(ALICE));
            assertThat(sent.getMsg().getSubject()).contains(CAROL);
        });
        String firstPassword = firstPassword(context.getSentMails().get(0).getMsg());
        accounts.register(CAROL, firstPassword, "carol's own long password", Recovery.NONE);
        assertThat(audit).singleElement().satisfies(event -> {
            assertThat(event.outcome()).isEqualTo("gina-first-contact");
            assertThat(event.reason()).contains("first password sent to the sender").doesNotContain(firstPassword);
        });

        context.resetSentMails();
        Mail second = mail(TestMessages.text("two"), ALICE, CAROL);
        mailet.service(second);

        assertThat(second.getState()).isEqualTo("deliver");
        assertThat(context.getSentMails()).isEmpty();
        assertThat(audit).hasSize(1);
    }

    @Test
    void firstContactFromAnOutsideSenderShouldBeHeldWithoutAnAccountAndWithoutAPasswordLeaving() throws Exception {
        keys.addManagedIdentity(MailetFixtures.identity(GATEWAY).toManagedIdentity());
        MimeMessage fromOutside = TestMessages.text("relayed by a trusted client, From an outside address");
        fromOutside.setFrom(new javax.mail.internet.InternetAddress("mallory@evil.example"));
        fromOutside.saveChanges();
        Mail mail = mail(fromOutside, "mallory@evil.example", CAROL);

        mailet(SmsGateway.NONE, "sender", "gatewaySigner", GATEWAY).service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(accounts.find(CAROL)).isEmpty();
        assertThat(context.getSentMails()).isEmpty();
        assertThat(MailetFixtures.event(mail).reason()).contains("not in a managed domain");
    }

    @Test
    void everyRecipientShouldGetItsOwnCarrier() throws Exception {
        Mail mail = mail(TestMessages.text("for both"), ALICE, CAROL, DAVE);

        mailet(SmsGateway.NONE, "sender").service(mail);

        assertThat(MailetFixtures.recipients(mail)).containsExactly(CAROL);
        assertThat(context.getSentMails()).filteredOn(sent -> sent.getState().equals("gina"))
            .singleElement().satisfies(sent -> assertThat(MailetFixtures.recipients(sent)).containsExactly(DAVE));
        assertThat(SecureMessagePage.extract(page(TestMessages.parse(MailetFixtures.bytes(mail)))).recipient()).isEqualTo(CAROL);
    }

    @Test
    void smsChannelShouldTextTheFirstPasswordToTheGivenNumberAndTellTheSenderWithoutIt() throws Exception {
        Mail mail = mail(TestMessages.text("by sms"), ALICE, CAROL);
        mail.setAttribute(new Attribute(CaptureGinaPhone.PHONES, AttributeValue.of(CAROL + "=+41 79 123 45 67")));

        mailet((phone, text) -> texts.add(new String[] {phone, text}), "sms").service(mail);

        assertThat(texts).singleElement().satisfies(sms -> assertThat(sms[0]).isEqualTo("+41791234567"));
        String firstPassword = texts.get(0)[1].substring(texts.get(0)[1].lastIndexOf(' ') + 1);
        accounts.register(CAROL, firstPassword, "carol's own long password", Recovery.NONE);
        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            String notice = TestMessages.firstText(sent.getMsg());
            assertThat(notice).contains("+41*******67").doesNotContain(firstPassword);
        });
        assertThat(audit).singleElement().satisfies(event ->
            assertThat(event.reason()).contains("sent by SMS to +41*******67").doesNotContain(firstPassword));
    }

    @Test
    void failingSmsGatewayShouldFallBackToTheSenderMailAndAuditTheFailure() throws Exception {
        Mail mail = mail(TestMessages.text("by sms"), ALICE, CAROL);
        mail.setAttribute(new Attribute(CaptureGinaPhone.PHONES, AttributeValue.of("+41791234567")));

        mailet((phone, text) -> {
            throw new SmsGateway.SmsException("the SMS gateway answered HTTP 503");
        }, "sms").service(mail);

        assertThat(mail.getState()).isEqualTo("deliver");
        String firstPassword = firstPassword(context.getSentMails().get(0).getMsg());
        assertThat(TestMessages.firstText(context.getSentMails().get(0).getMsg())).contains("could not be sent");
        assertThat(audit).extracting(AuditEvent::outcome).containsExactly("gina-sms-failed", "gina-first-contact");
        assertThat(audit.get(0).reason()).contains("HTTP 503").doesNotContain(firstPassword);
    }

    @Test
    void smsChannelWithoutANumberShouldMailTheSender() throws Exception {
        mailet((phone, text) -> texts.add(new String[] {phone, text}), "sms").service(mail(TestMessages.text("x"), ALICE, CAROL));

        assertThat(texts).isEmpty();
        firstPassword(context.getSentMails().get(0).getMsg());
    }

    @Test
    void unavailableGinaShouldHoldTheMailUnchangedWithTheReason() throws Exception {
        MimeMessage original = TestMessages.text("confidential");
        byte[] before = TestMessages.bytes(original);
        Mail mail = mail(original, ALICE, CAROL);
        GinaSeal mailet = new GinaSeal(GinaBackend.unavailable("GINA is not available on this node: no ZooKeeper"),
            keys, crypto, SmsGateway.NONE, audit::add);
        mailet.init(config(context, "nextProcessor", "deliver", "splitProcessor", "gina", "failureProcessor", "quarantine"));

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(MailetFixtures.attribute(mail, AuditTrail.REASON)).isEqualTo("GINA: GINA is not available on this node: no ZooKeeper");
        assertThat(MailetFixtures.bytes(mail)).isEqualTo(before);
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void mailLargerThanThePortalCanOpenShouldBeHeldWithTheReasonAndNoCarrierOrAccount() throws Exception {
        GinaSeal mailet = mailet(SmsGateway.NONE, "sender", "maxMessageKb", "64");
        MimeMessage large = TestMessages.text("x".repeat(80 * 1024));
        byte[] before = TestMessages.bytes(large);
        Mail mail = mail(large, ALICE, CAROL);

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(MailetFixtures.attribute(mail, AuditTrail.REASON)).contains("larger than the GINA portal can open");
        assertThat(MailetFixtures.bytes(mail)).isEqualTo(before);
        assertThat(context.getSentMails()).isEmpty();
        assertThat(accounts.find(CAROL)).isEmpty();

        Mail small = mail(TestMessages.text("x".repeat(40 * 1024)), ALICE, CAROL);
        mailet.service(small);
        assertThat(small.getState()).isEqualTo("deliver");
        assertThatThrownBy(() -> mailet(SmsGateway.NONE, "sender", "maxMessageKb", "0"))
            .hasMessageContaining("maxMessageKb");
    }

    @Test
    void unreachableAccountStoreShouldHoldTheMail() throws Exception {
        AccountStore broken = new AccountStore() {
            @Override
            public Optional<StoredAccount> find(String address) throws AccountStoreException {
                throw new AccountStoreException("could not read /gina/accounts/x in ZooKeeper: ConnectionLoss");
            }

            @Override
            public StoredAccount create(GinaAccount account) throws AccountStoreException {
                throw new AccountStoreException("unreachable");
            }

            @Override
            public StoredAccount update(StoredAccount expected, GinaAccount next) throws AccountStoreException {
                throw new AccountStoreException("unreachable");
            }

            @Override
            public void close() {
            }
        };
        GinaSeal mailet = new GinaSeal(GinaBackend.of(new GinaBackend.Access(ring,
            new GinaAccounts(broken, new PasswordHasher(1024, 1, 1), LockoutPolicy.DEFAULT, Clock.systemUTC()), PORTAL)),
            keys, crypto, SmsGateway.NONE, audit::add);
        mailet.init(config(context, "nextProcessor", "deliver", "splitProcessor", "gina", "failureProcessor", "quarantine"));
        Mail mail = mail(TestMessages.text("x"), ALICE, CAROL);

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(MailetFixtures.attribute(mail, AuditTrail.REASON)).contains("account store is unreachable").contains("ConnectionLoss");
        assertThat(TestMessages.firstText(mail.getMessage())).isEqualTo("x");
    }

    @Test
    void senderWithoutAKeyShouldBeSignedByTheGatewaySignerNamedAsSender() throws Exception {
        keys.addManagedIdentity(MailetFixtures.identity(GATEWAY).toManagedIdentity());
        GinaSeal mailet = mailet(SmsGateway.NONE, "sender", "gatewaySigner", GATEWAY);
        Mail mail = mail(TestMessages.textFrom("frank@sealgate.test", "x"), "frank@sealgate.test", CAROL);

        mailet.service(mail);

        MimeMessage carrier = TestMessages.parse(MailetFixtures.bytes(mail));
        VerificationResult verified = crypto.verify(carrier, VerificationPolicy.trusting(List.of(TestPki.ca().certificate())));
        assertThat(verified.signerCertificate()).contains(MailetFixtures.identity(GATEWAY).certificate());
        assertThat(carrier.getHeader("Sender", ",")).isEqualTo(GATEWAY);
        assertThat(carrier.getHeader("From", ",")).isEqualTo("frank@sealgate.test");
    }

    @Test
    void noSigningKeyShouldHoldTheMailRatherThanSendAnUnsignedCarrier() throws Exception {
        Mail mail = mail(TestMessages.textFrom("frank@sealgate.test", "x"), "frank@sealgate.test", CAROL);

        mailet(SmsGateway.NONE, "sender").service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(MailetFixtures.attribute(mail, AuditTrail.REASON)).contains("no key to sign the carrier mail");
        assertThat(accounts.find(CAROL)).isEmpty();
    }

    @Test
    void initShouldRefuseAnUnknownChannelAndAMissingProcessor() {
        GinaSeal mailet = new GinaSeal(GinaBackend.unavailable("x"), keys, crypto, SmsGateway.NONE, audit::add);
        assertThatThrownBy(() -> mailet.init(config(context, "nextProcessor", "deliver", "splitProcessor", "gina",
            "failureProcessor", "quarantine", "firstPasswordChannel", "pigeon"))).hasMessageContaining("firstPasswordChannel");
        assertThatThrownBy(() -> mailet.init(config(context, "nextProcessor", "deliver", "splitProcessor", "gina")))
            .hasMessageContaining("failureProcessor");
    }

    private GinaSeal mailet(SmsGateway sms, String channel, String... more) throws MessagingException {
        GinaSeal mailet = new GinaSeal(GinaBackend.of(new GinaBackend.Access(ring, accounts, PORTAL)), keys, crypto, sms,
            audit::add);
        List<String> parameters = new ArrayList<>(List.of("nextProcessor", "deliver", "splitProcessor", "gina",
            "failureProcessor", "quarantine", "firstPasswordChannel", channel));
        parameters.addAll(List.of(more));
        mailet.init(config(context, parameters.toArray(String[]::new)));
        return mailet;
    }

    /** The decoded secure-message.html of a carrier. */
    static String page(MimeMessage carrier) throws Exception {
        Multipart signed = (Multipart) carrier.getContent();
        Multipart mixed = (Multipart) signed.getBodyPart(0).getContent();
        for (int i = 0; i < mixed.getCount(); i++) {
            BodyPart part = mixed.getBodyPart(i);
            if (SecureMessagePage.FILE_NAME.equals(part.getFileName())) {
                return new String(TestMessages.readAll(part.getInputStream()), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + SecureMessagePage.FILE_NAME + " in the carrier");
    }

    private static String firstPassword(MimeMessage notice) {
        Matcher matcher = FIRST_PASSWORD.matcher(TestMessages.firstText(notice).replace("\r\n", "\n"));
        assertThat(matcher.find()).as("a first password in the sender's mail").isTrue();
        return matcher.group(1);
    }

    private static MailAddress mailAddress(String address) {
        try {
            return new MailAddress(address);
        } catch (javax.mail.internet.AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
