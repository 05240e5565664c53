package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.crypto.PgpDecryptionResult;
import org.sealgate.crypto.PgpVerificationPolicy;
import org.sealgate.crypto.SignatureStatus;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.testing.OpenPgpTools;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.SmtpSink;

/**
 * Outbound OpenPGP through a real James node over real SMTP: what the gateway sends is opened by GnuPG 2.2 and
 * sqop (keys made by them at test time), v6/SEIPDv2 by Bouncy Castle (neither tool here reads v6); mixed
 * recipients and a revoked key each get their own clear outcome.
 */
class OutboundPgpTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";     // gpg key
    private static final String DAVE = "dave@partner.example";       // sqop key
    private static final String ERIN = "erin@v6.example";            // v6 key (Bouncy Castle)
    private static final String REVOKED = "rex@partner.example";     // gpg key, revoked by gpg
    private static final String SMIME = "sam@smime.example";         // S/MIME certificate only
    private static final String POLICY = """
        default.encrypt = opportunistic
        domain.partner.example.encrypt = required
        """;

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static OpenPgpTools tools;
    static OpenPGPKey erinKey;
    static OpenPGPCertificate aliceCert;

    @BeforeAll
    static void start() throws Exception {
        tools = new OpenPgpTools();
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), POLICY, List.of(Gateway.MANAGED_DOMAIN));
        var pgp = gateway.pgpKeys();
        // Alice's managed key: made by gpg with a passphrase, imported as a secret key (re-protected by the gateway).
        OpenPgpTools.check(tools.gpg("--passphrase", "alice-pass", "--quick-gen-key", "Alice <" + ALICE + ">",
            "future-default", "default", "never"));
        OpenPGPKey alice = (OpenPGPKey) PgpKeys.read(OpenPgpTools.check(tools.gpg("--passphrase", "alice-pass",
            "--armor", "--export-secret-keys", ALICE)).stdout());
        aliceCert = pgp.addManagedKey(alice, "alice-pass".toCharArray()).certificate();
        pgp.addPublicKey(PgpKeys.read(tools.gpgGenerateKey("Carol <" + CAROL + ">")), PgpPublicKey.Source.IMPORTED);
        tools.write("dave.key", tools.sqopGenerateKey("Dave <" + DAVE + ">"));
        pgp.addPublicKey(PgpKeys.read(tools.sqopExtractCert("dave.key")), PgpPublicKey.Source.IMPORTED);
        erinKey = PgpKeys.generate("Erin <" + ERIN + ">", 6);
        pgp.addPublicKey(erinKey.toCertificate(), PgpPublicKey.Source.IMPORTED);
        tools.gpgGenerateKey("Rex <" + REVOKED + ">");
        pgp.addPublicKey(PgpKeys.read(revokeWithGpg(REVOKED)), PgpPublicKey.Source.IMPORTED);
        CertificateIssuer ca = CertificateIssuer.newCa("Partner CA");
        gateway.keys().addCertificate(ca.issue(IssueRequest.forEmail(SMIME, KeyType.EC_P256)).certificate());
        gateway.keys().addManagedIdentity(CertificateIssuer.newCa("Demo CA")
            .issue(IssueRequest.forEmail(ALICE, KeyType.EC_P256)).toManagedIdentity(ALICE));
    }

    /** gpg's own revocation certificate for the key (written at generation time), applied and exported. */
    private static byte[] revokeWithGpg(String address) throws Exception {
        String fingerprint = OpenPgpTools.check(tools.gpg("--with-colons", "--list-keys", address)).out().lines()
            .filter(line -> line.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
        Path revocation = tools.file("gnupg/openpgp-revocs.d/" + fingerprint + ".rev");
        String certificate = java.nio.file.Files.readString(revocation).replace(":-----BEGIN", "-----BEGIN");
        tools.write("revoke.asc", certificate);
        OpenPgpTools.check(tools.gpg("--import", "revoke.asc"));
        return tools.gpgExportPublic(address);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (tools != null) {
            tools.close();
        }
    }

    @Test
    void mailToGpgPartnerShouldBeSignedAndEncryptedSoThatGpgDecryptsAndVerifiesIt() throws Exception {
        byte[] attachment = TestMails.randomBytes(60_000, 11);
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(CAROL),
            TestMails.withAttachment(ALICE, List.of(CAROL), "Quarterly figures", "pgp-out-gpg", attachment));

        MimeMessage received = receiver.awaitOne(CAROL, "pgp-out-gpg");
        assertThat(received.getContentType()).contains("multipart/encrypted").contains("application/pgp-encrypted");
        assertThat(received.getSubject()).isEqualTo("...");
        tools.write("out-gpg.asc", PgpMails.payload(received));
        OpenPgpTools.Result decrypted = tools.gpg("--status-fd", "2", "--decrypt", "out-gpg.asc");
        assertThat(decrypted.ok()).as(decrypted.toString()).isTrue();
        assertThat(decrypted.stderr()).contains("GOODMDC").contains("GOODSIG").contains("Alice <" + ALICE + ">");
        MimeMessage inner = TestMessages.parse(decrypted.stdout());
        assertThat(inner.getSubject()).isEqualTo("Quarterly figures");
        assertThat(TestMessages.attachment(inner)).isEqualTo(attachment);
        assertThat(gateway.awaitAuditEvent("pgp-out-gpg").get("recipients").toString())
            .contains("pgp-sign+pgp-encrypt").contains("pgp:" + PgpKeys.fingerprint(gateway.pgpKeys().publicKeysFor(CAROL).get(0).certificate()));
    }

    @Test
    void mailToSqopPartnerShouldDecryptAndVerifyWithSqop() throws Exception {
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(DAVE), TestMails.plain(ALICE, List.of(DAVE), "For Dave", "pgp-out-sqop", "hello Dave"));

        MimeMessage received = receiver.awaitOne(DAVE, "pgp-out-sqop");
        tools.write("out-sqop.asc", PgpMails.payload(received));
        tools.write("alice.cert", PgpKeys.armored(aliceCert));
        OpenPgpTools.Result result = tools.shell("sqop decrypt --verify-out=verified.txt --verify-with=alice.cert dave.key < out-sqop.asc");

        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.out()).contains("Subject: For Dave").contains("hello Dave");
        assertThat(new String(tools.read("verified.txt"), StandardCharsets.UTF_8)).contains(PgpKeys.fingerprint(aliceCert));
    }

    @Test
    void mailToV6PartnerShouldUseSeipdV2AndOpenWithTheV6Key() throws Exception {
        SmtpClient.send(gateway.smtpPort(), ALICE, List.of(ERIN), TestMails.plain(ALICE, List.of(ERIN), "v6", "pgp-out-v6", "AEAD please"));

        MimeMessage received = receiver.awaitOne(ERIN, "pgp-out-v6");
        PgpDecryptionResult result = new PgpCrypto().decrypt(received, List.of(new PgpManagedKey(ERIN, erinKey, c -> null)),
            PgpVerificationPolicy.strict(List.of(new PgpPublicKey(aliceCert, PgpPublicKey.Source.IMPORTED))));

        assertThat(result.mechanism()).isEqualTo("SEIPDv2 AES-256 OCB");
        assertThat(result.message().getSubject()).isEqualTo("v6");
        assertThat(result.signature().status()).as(result.signature().detail()).isEqualTo(SignatureStatus.VALID);
        // gpg 2.2 cannot read v6 keys or SEIPDv2 at all: it must fail, not silently succeed.
        tools.write("out-v6.asc", PgpMails.payload(received));
        assertThat(tools.gpg("--decrypt", "out-v6.asc").ok()).isFalse();
    }

    @Test
    void mixedRecipientsShouldEachGetTheirOwnOutcome() throws Exception {
        String plain = "paul@elsewhere.example";
        String nokey = "nina@partner.example";
        List<String> all = List.of(CAROL, SMIME, nokey, plain, REVOKED);
        SmtpClient.send(gateway.smtpPort(), ALICE, all, TestMails.plain(ALICE, all, "Mixed", "pgp-mixed", "to everyone"));

        assertThat(receiver.awaitOne(CAROL, "pgp-mixed").getContentType()).contains("multipart/encrypted");
        assertThat(receiver.awaitOne(SMIME, "pgp-mixed").getContentType()).contains("application/pkcs7-mime");
        assertThat(SmtpSink.text(receiver.awaitOne(plain, "pgp-mixed"))).contains("to everyone");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> gateway.auditEvents().stream()
            .filter(e -> String.valueOf(e.get("messageId")).contains("pgp-mixed")).count() >= 4);
        List<Map<String, Object>> events = gateway.auditEvents().stream()
            .filter(e -> String.valueOf(e.get("messageId")).contains("pgp-mixed")).toList();
        Map<String, Object> bounced = events.stream().filter(e -> "bounced".equals(e.get("outcome"))).findFirst().orElseThrow();
        assertThat(bounced.get("recipients").toString()).contains(nokey).contains(REVOKED);
        assertThat(bounced.get("reason").toString()).contains("policy requires encryption")
            .contains("no OpenPGP key known for " + nokey).contains("is not usable: revoked");
        assertThat(receiver.messagesFor(nokey)).isEmpty();
        assertThat(receiver.messagesFor(REVOKED)).isEmpty();
    }
}
