package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.audit.AuditEvent;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyHarvester;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.TestMessages;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.testing.TestPki;

class SmimeVerifyTest {
    private static final String ALICE = TestMessages.FROM;
    private static final String RECIPIENT = "erin@sealgate.test";
    private static final String HEADER = SmimeVerify.SIGNATURE_HEADER;
    private static CertificateIssuer otherCa;

    private final SmimeCrypto crypto = new SmimeCrypto();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private FileKeyDirectory keys;
    private final List<AuditEvent> audit = new ArrayList<>();

    @BeforeEach
    void setUp(@TempDir Path dir) {
        keys = FileKeyDirectory.open(dir);
        // The gateway's own CA, scoped to the managed domain as the demo does (unscoped anchors never vouch for it).
        keys.addTrustAnchor(new ScopedAnchor(TestPki.ca().certificate(),
            ScopedAnchor.parseDomains(MailetFixtures.MANAGED_DOMAIN + ", *." + MailetFixtures.MANAGED_DOMAIN + ", evil.test")));
    }

    private SmimeVerify mailet(String subjectTags) throws MessagingException {
        SmimeVerify mailet = new SmimeVerify(crypto, keys, new KeyHarvester(keys, PgpKeyDirectory.NONE, audit::add));
        mailet.init(config(context, "subjectTags", subjectTags));
        return mailet;
    }

    private MimeMessage signedByAlice(String body) throws Exception {
        return TestMessages.parse(TestMessages.bytes(crypto.sign(TestMessages.text(body), TestPki.aliceRsa().toManagedIdentity())));
    }

    private static synchronized CertificateIssuer otherCa() {
        if (otherCa == null) {
            otherCa = CertificateIssuer.newCa("Stranger CA", KeyType.EC_P256);
        }
        return otherCa;
    }

    @ParameterizedTest(name = "subjectTags={0}")
    @ValueSource(strings = {"yes", "TRUE", "1", ""})
    void initShouldRejectSubjectTagsOtherThanTrueOrFalse(String value) {
        assertThatThrownBy(() -> mailet(value))
            .isInstanceOf(MessagingException.class).hasMessageContaining("subjectTags");
    }

    @Test
    void verifyShouldOverwriteAForgedHeaderWithNoneForAnUnsignedMessage() throws Exception {
        MimeMessage forged = TestMessages.parse("From: " + ALICE + "\r\nTo: " + RECIPIENT + "\r\nSubject: trust me\r\n"
            + "Message-ID: <forged@evil.test>\r\n" + HEADER + ": valid; signer=" + ALICE + "\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n\r\nSend money.\r\n");
        Mail mail = mail(forged, ALICE, RECIPIENT);

        mailet("true").service(mail);

        assertThat(mail.getMessage().getHeader(HEADER)).containsExactly("none");
        assertThat(mail.getMessage().getSubject()).isEqualTo("trust me");
        assertThat(MailetFixtures.attribute(mail, AuditTrail.METHOD)).isNull();
    }

    @Test
    void verifyShouldMarkAValidSignatureTagTheSubjectAndHarvestTheSignerCertificate() throws Exception {
        Mail mail = mail(signedByAlice("please pay invoice 4711"), ALICE, RECIPIENT);
        assertThat(keys.certificatesFor(ALICE)).isEmpty();

        mailet("true").service(mail);

        assertThat(mail.getMessage().getHeader(HEADER, null)).isEqualTo("valid; signer=" + ALICE);
        assertThat(mail.getMessage().getSubject()).isEqualTo("[signed OK] Plain text");
        assertThat(keys.certificatesFor(ALICE)).containsExactly(TestPki.aliceRsa().certificate());
        assertThat(MailetFixtures.attribute(mail, AuditTrail.METHOD)).isEqualTo("smime-verify:valid");
        assertThat(audit).singleElement().satisfies(event -> {
            assertThat(event.outcome()).isEqualTo(KeyHarvester.STORED);
            assertThat(event.recipients()).singleElement().satisfies(entry -> {
                assertThat(entry.recipient()).isEqualTo(ALICE);
                assertThat(entry.keyFingerprint()).isEqualTo(Fingerprints.sha256(TestPki.aliceRsa().certificate()));
                assertThat(entry.method()).isEqualTo("key-store:smime-signer-certificate");
            });
        });

        mailet("true").service(mail(signedByAlice("again"), ALICE, RECIPIENT));
        assertThat(audit).hasSize(1);   // a certificate already known changes nothing, so nothing to audit
    }

    @Test
    void verifyShouldMarkATamperedMessageInvalidAndHarvestNothing() throws Exception {
        String raw = new String(TestMessages.bytes(signedByAlice("please pay invoice 4711")), StandardCharsets.ISO_8859_1);
        assertThat(raw).contains("4711");
        MimeMessage tampered = TestMessages.parse(raw.replace("4711", "4712").getBytes(StandardCharsets.ISO_8859_1));
        Mail mail = mail(tampered, ALICE, RECIPIENT);

        mailet("true").service(mail);

        assertThat(mail.getMessage().getHeader(HEADER, null)).startsWith("invalid").contains("reason=");
        assertThat(mail.getMessage().getSubject()).isEqualTo("[signed INVALID] Plain text");
        assertThat(keys.certificatesFor(ALICE)).isEmpty();
    }

    @Test
    void verifyShouldMarkAnUntrustedSignerAndNotHarvestItsCertificate() throws Exception {
        IssuedIdentity stranger = otherCa().issue(IssueRequest.forEmail("mallory@evil.test", KeyType.EC_P256));
        MimeMessage signed = TestMessages.parse(TestMessages.bytes(
            crypto.sign(TestMessages.textFrom("mallory@evil.test", "trust me"), stranger.toManagedIdentity())));
        Mail mail = mail(signed, "mallory@evil.test", RECIPIENT);

        mailet("true").service(mail);

        assertThat(mail.getMessage().getHeader(HEADER, null)).startsWith("untrusted; signer=mallory@evil.test");
        assertThat(mail.getMessage().getSubject()).isEqualTo("[signed INVALID] Plain text");
        assertThat(keys.certificatesFor("mallory@evil.test")).isEmpty();
        assertThat(keys.certificates()).isEmpty();
    }

    @Test
    void verifyShouldLeaveTheSubjectAloneWhenSubjectTagsIsFalse() throws Exception {
        Mail mail = mail(signedByAlice("x"), ALICE, RECIPIENT);

        mailet("false").service(mail);

        assertThat(mail.getMessage().getHeader(HEADER, null)).startsWith("valid");
        assertThat(mail.getMessage().getSubject()).isEqualTo("Plain text");
    }

    @Test
    void verifyShouldUseConfiguredTags() throws Exception {
        SmimeVerify mailet = new SmimeVerify(crypto, keys, new KeyHarvester(keys, PgpKeyDirectory.NONE, audit::add));
        mailet.init(config(context, "subjectTags", "true", "validTag", "[OK]", "invalidTag", "[BAD]"));
        Mail mail = mail(signedByAlice("x"), ALICE, RECIPIENT);

        mailet.service(mail);

        assertThat(mail.getMessage().getSubject()).isEqualTo("[OK] Plain text");
    }

    @Test
    void verifyShouldUnwrapOpaqueSignedDataAndKeepTheMessageId() throws Exception {
        IssuedIdentity alice = TestPki.aliceRsa();
        byte[] content = "Content-Type: text/plain; charset=us-ascii\r\n\r\nPay invoice 4711.\r\n".getBytes(StandardCharsets.US_ASCII);
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder().setProvider("BC")
            .build("SHA256withRSA", alice.keyPair().getPrivate(), alice.certificate()));
        generator.addCertificates(new JcaCertStore(List.of(alice.certificate())));
        byte[] cms = generator.generate(new CMSProcessableByteArray(content), true).getEncoded();
        MimeMessage opaque = TestMessages.parse("From: " + ALICE + "\r\nTo: " + RECIPIENT + "\r\nSubject: opaque\r\n"
            + "Message-ID: <opaque@sealgate.test>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(cms) + "\r\n");
        Mail mail = mail(opaque, ALICE, RECIPIENT);

        mailet("true").service(mail);

        MimeMessage shown = TestMessages.parse(MailetFixtures.bytes(mail));
        assertThat(shown.getMessageID()).isEqualTo("<opaque@sealgate.test>");
        assertThat(shown.isMimeType("text/plain")).isTrue();
        assertThat(shown.getContent()).isEqualTo("Pay invoice 4711.\r\n");
        assertThat(shown.getHeader(HEADER, null)).isEqualTo("valid; signer=" + ALICE);
        assertThat(shown.getSubject()).isEqualTo("[signed OK] opaque");
    }
}
