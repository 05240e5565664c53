package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.mailets.SelectedKeys;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.testing.OpenSsl;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.SmtpSink;

/**
 * Through a real node over SMTP: the recipient's key is selected once, by the policy engine, and the encryption
 * uses that selection (no second selection in SmimeEncrypt / PgpEncrypt, counted by
 * {@link SelectedKeys#repeatedSelections()}; this class has its own JVM), the mail still opens for the recipient
 * (OpenSSL), and a header named like the carrying attribute changes nothing.
 */
class KeySelectionOnceTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";
    private static final String DORA = "dora@partner.example";
    private static final String PAUL = "paul@pgp.example";
    private static final String POLICY = """
        default.encrypt = opportunistic
        domain.partner.example.encrypt = required
        domain.pgp.example.encrypt = required
        domain.pgp.example.methods = pgp
        """;

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static IssuedIdentity carol;
    static IssuedIdentity dora;
    static OpenPGPKey paul;

    @BeforeAll
    static void start() throws Exception {
        Prerequisites.require(OpenSsl.available(), "openssl (Debian package openssl) to open the encrypted mail");
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), POLICY, List.of(Gateway.MANAGED_DOMAIN));
        CertificateIssuer partnerCa = CertificateIssuer.newCa("Partner CA");
        carol = partnerCa.issue(IssueRequest.forEmail(CAROL, KeyType.RSA_2048));
        dora = partnerCa.issue(IssueRequest.forEmail(DORA, KeyType.EC_P256));
        gateway.keys().addCertificate(carol.certificate());
        gateway.keys().addCertificate(dora.certificate());
        paul = PgpKeys.generate("Paul <" + PAUL + ">", 4);
        gateway.pgpKeys().addPublicKey(paul.toCertificate(), PgpPublicKey.Source.IMPORTED);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void smimeMailShouldBeEncryptedWithThePolicysSelectionWithoutSelectingAgain() throws Exception {
        long before = SelectedKeys.repeatedSelections();
        List<String> to = List.of(CAROL, DORA);
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, to,
            TestMails.plain(ALICE, to, "Figures", "sel-smime", "selected once")).code()).isEqualTo(250);

        MimeMessage received = receiver.awaitOne(CAROL, "sel-smime");
        assertThat(received.getContentType()).contains("application/pkcs7-mime");
        byte[] raw = SmtpSink.raw(received);
        assertThat(new String(OpenSslChecks.decrypt(work, raw, carol), StandardCharsets.ISO_8859_1)).contains("selected once");
        assertThat(new String(OpenSslChecks.decrypt(work, raw, dora), StandardCharsets.ISO_8859_1)).contains("selected once");
        Map<String, Object> event = gateway.awaitAuditEvent("sel-smime");
        assertThat(event.get("recipients").toString()).contains(Fingerprints.sha256(carol.certificate()))
            .contains(Fingerprints.sha256(dora.certificate()));
        assertThat(SelectedKeys.repeatedSelections() - before).isZero();
    }

    @Test
    void pgpMailShouldBeEncryptedWithThePolicysSelectionWithoutSelectingAgain() throws Exception {
        long before = SelectedKeys.repeatedSelections();
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(PAUL),
            TestMails.plain(ALICE, List.of(PAUL), "Figures", "sel-pgp", "pgp selected once")).code()).isEqualTo(250);

        MimeMessage received = receiver.awaitOne(PAUL, "sel-pgp");
        assertThat(received.getContentType()).contains("multipart/encrypted");
        var decrypted = new PgpCrypto().decrypt(received, List.of(new PgpManagedKey(PAUL, paul, c -> null)), null);
        assertThat(OpenSslChecks.text(decrypted.message())).contains("pgp selected once");
        assertThat(SelectedKeys.repeatedSelections() - before).isZero();
    }

    @Test
    void headerNamedLikeTheSelectionAttributeShouldNotChangeTheKeyUsed() throws Exception {
        // An attacker names Dora's certificate for Carol, in a header spelled like the attribute (and its X- twin).
        String forged = "v1 " + System.currentTimeMillis() + " smime " + CAROL + " " + Fingerprints.sha256(dora.certificate());
        byte[] mail = OpenSslChecks.concat((SelectedKeys.ATTRIBUTE.asString() + ": " + forged + "\r\n"
            + "X-" + SelectedKeys.ATTRIBUTE.asString() + ": " + forged + "\r\n").getBytes(StandardCharsets.US_ASCII),
            TestMails.plain(ALICE, List.of(CAROL), "Forged", "sel-forged", "for carol only"));
        assertThat(SmtpClient.send(gateway.smtpPort(), ALICE, List.of(CAROL), mail).code()).isEqualTo(250);

        byte[] raw = SmtpSink.raw(receiver.awaitOne(CAROL, "sel-forged"));
        assertThat(new String(OpenSslChecks.decrypt(work, raw, carol), StandardCharsets.ISO_8859_1)).contains("for carol only");
        assertThat(gateway.awaitAuditEvent("sel-forged").get("recipients").toString())
            .contains(Fingerprints.sha256(carol.certificate())).doesNotContain(Fingerprints.sha256(dora.certificate()));
        assertThat(receiver.messagesFor(DORA).stream().filter(m -> raw(m).contains("sel-forged"))).isEmpty();
    }

    private static String raw(MimeMessage message) {
        return new String(SmtpSink.raw(message), StandardCharsets.ISO_8859_1);
    }
}
