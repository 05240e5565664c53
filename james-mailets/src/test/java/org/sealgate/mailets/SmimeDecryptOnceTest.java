package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;
import static org.sealgate.mailets.MailetFixtures.recipients;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sealgate.crypto.EncryptionPolicy;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

/**
 * Inbound S/MIME to many managed recipients is decrypted once (counted by the facade), every recipient gets the
 * plaintext; and a RecipientInfo that names a recipient without carrying the content key (someone re-sending A's
 * mail to A and B with a forged entry for B) releases nothing to anyone.
 */
class SmimeDecryptOnceTest {
    private static final String SENDER = "partner@partner.test";
    private static final String SECRET = "Board minutes, strictly confidential. ";
    private static final Map<String, IssuedIdentity> RSA = new ConcurrentHashMap<>();

    private final SmimeCrypto crypto = new SmimeCrypto();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private FileKeyDirectory keys;
    private SmimeDecrypt mailet;

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        keys = FileKeyDirectory.open(dir);
        mailet = new SmimeDecrypt(crypto, keys);
        mailet.init(config(context, "failureProcessor", "quarantine", "splitProcessor", "inbound"));
    }

    /** RSA-2048 (key transport, the usual S/MIME key), one per address for the whole test class. */
    private static IssuedIdentity rsa(String address) {
        return RSA.computeIfAbsent(address, a -> TestPki.ca().issue(IssueRequest.forEmail(a, KeyType.RSA_2048)));
    }

    private List<IssuedIdentity> managed(int count) {
        List<IssuedIdentity> identities = IntStream.range(0, count).mapToObj(i -> rsa("user" + i + "@sealgate.test")).toList();
        identities.forEach(identity -> keys.addManagedIdentity(identity.toManagedIdentity()));
        return identities;
    }

    @ParameterizedTest(name = "{0} managed recipients")
    @ValueSource(ints = {1, 10, 50})
    void mailToManyManagedRecipientsShouldBeDecryptedOnceAndReachEveryOneInClear(int count) throws Exception {
        List<IssuedIdentity> identities = managed(count);
        MimeMessage encrypted = TestMessages.parse(TestMessages.bytes(crypto.encrypt(TestMessages.text(SECRET),
            MailetFixtures.certificates(identities.toArray(IssuedIdentity[]::new)), EncryptionPolicy.DEFAULT)));
        String[] addresses = identities.stream().map(i -> i.toManagedIdentity().address()).toArray(String[]::new);
        Mail mail = mail(encrypted, SENDER, addresses);
        long before = crypto.contentDecryptions();

        mailet.service(mail);

        assertThat(crypto.contentDecryptions() - before).as("content decryptions").isEqualTo(1);
        assertThat(recipients(mail)).containsExactly(addresses);
        assertThat(context.getSentMails()).as("nobody split off").isEmpty();
        assertThat(TestMessages.firstText(mail.getMessage())).isEqualTo(SECRET);
        assertThat(mail.getMessage().getHeader(SmimeDecrypt.DECRYPTION_HEADER, null)).startsWith("decrypted");
        assertThat(mail.getState()).isEqualTo("transport");
        // The audit names each recipient's own key.
        assertThat(MailetFixtures.event(mail).recipients()).hasSize(count).allSatisfy(outcome ->
            assertThat(outcome.keyFingerprint()).isEqualTo(Fingerprints.sha256(rsa(outcome.recipient()).certificate())));
    }

    @Test
    void forgedRecipientInfoForASecondRecipientShouldReleaseNoPlaintextToAnyone() throws Exception {
        List<IssuedIdentity> identities = managed(2);
        IssuedIdentity alice = identities.get(0);
        IssuedIdentity bob = identities.get(1);
        // Mail for Alice only, re-sent to Alice and Bob with an entry naming Bob's certificate (by subject key id,
        // as anyone can) that wraps a key of the forger's own choosing under another RSA key: Bob's key unwraps
        // nothing that matches the content key.
        PublicKey forgersKey = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
        MimeMessage forged = authEnveloped(("Content-Type: text/plain; charset=us-ascii\r\n\r\n" + SECRET + "\r\n")
            .getBytes(StandardCharsets.US_ASCII), alice, ski(bob), forgersKey);
        Mail mail = mail(forged, SENDER, alice.toManagedIdentity().address(), bob.toManagedIdentity().address());

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(AuditTrail.reason(mail)).hasValueSatisfying(reason ->
            assertThat(reason).startsWith("S/MIME decryption failed").contains(bob.toManagedIdentity().address()));
        assertThat(SmimeCrypto.isEncrypted(mail.getMessage())).isTrue();
        assertThat(MailetFixtures.text(mail)).doesNotContain("Board minutes");
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void genuineMailForAliceOnlyShouldStillOpenForAliceWhileBobGetsItUnchanged() throws Exception {
        List<IssuedIdentity> identities = managed(2);
        IssuedIdentity alice = identities.get(0);
        IssuedIdentity bob = identities.get(1);
        MimeMessage forAlice = authEnveloped(("Content-Type: text/plain; charset=us-ascii\r\n\r\n" + SECRET + "\r\n")
            .getBytes(StandardCharsets.US_ASCII), alice, null, null);
        Mail mail = mail(forAlice, SENDER, alice.toManagedIdentity().address(), bob.toManagedIdentity().address());

        mailet.service(mail);

        assertThat(recipients(mail)).containsExactly(alice.toManagedIdentity().address());
        assertThat(TestMessages.firstText(mail.getMessage())).startsWith(SECRET);
        assertThat(context.getSentMails()).singleElement().satisfies(copy -> {
            assertThat(recipients(copy)).containsExactly(bob.toManagedIdentity().address());
            assertThat(SmimeCrypto.isEncrypted(copy.getMsg())).isTrue();
            assertThat(new String(TestMessages.bytes(copy.getMsg()), StandardCharsets.ISO_8859_1)).doesNotContain("Board minutes");
        });
    }

    private static byte[] ski(IssuedIdentity identity) throws Exception {
        return SubjectKeyIdentifier.fromExtensions(new JcaX509CertificateHolder(identity.certificate()).getExtensions())
            .getKeyIdentifier();
    }

    /** AES-256-GCM AuthEnvelopedData to {@code to}, plus, if given, an entry naming {@code skiOfOther} wrapped to {@code wrapKey}. */
    private static MimeMessage authEnveloped(byte[] content, IssuedIdentity to, byte[] skiOfOther, PublicKey wrapKey)
        throws Exception {
        CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(to.certificate()).setProvider("BC"));
        if (skiOfOther != null) {
            generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(skiOfOther, wrapKey).setProvider("BC"));
        }
        byte[] der = generator.generate(new CMSProcessableByteArray(content),
            (org.bouncycastle.operator.OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                .setProvider("BC").build()).getEncoded();
        return TestMessages.parse("From: " + SENDER + "\r\nTo: " + to.toManagedIdentity().address() + "\r\nSubject: minutes\r\n"
            + "Message-ID: <forged@partner.test>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(der) + "\r\n");
    }
}
