package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.testing.OpenPgpPackets;
import org.sealgate.testing.OpenPgpTools;
import org.sealgate.testing.SmtpSink;

/**
 * Decrypt once, never lend a decryption: an outside sender (127.0.0.2) over SMTP against a real node. Mail that
 * OpenSSL or GnuPG encrypted to two managed recipients reaches both in clear (one decryption); mail encrypted to Alice
 * only, re-sent to Alice and Bob with an entry for Bob copied from another message (a RecipientInfo, a session-key
 * packet: Bob's key opens it, to a key of the forger's choosing), releases no plaintext to anyone: it is held with
 * the reason. Without the check the gateway would hand Alice's plaintext to Bob, because the mail names him.
 */
class BorrowedDecryptionTest {
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String BOB = "bob@" + Gateway.MANAGED_DOMAIN;
    private static final String MALLORY = "mallory@partner.example";
    private static final String OUTSIDE_CLIENT = "127.0.0.2";
    private static final String SECRET = "Merger terms for Alice only";

    @TempDir
    static Path work;
    static SmtpSink receiver;
    static Gateway gateway;
    static OpenPgpTools tools;
    static IssuedIdentity alice;
    static IssuedIdentity bob;

    @BeforeAll
    static void start() throws Exception {
        receiver = SmtpSink.onFreePort();
        gateway = Gateway.start(work.resolve("data"), Optional.of(receiver.hostPort()), "default.encrypt = opportunistic\n",
            List.of(Gateway.MANAGED_DOMAIN));
        CertificateIssuer ca = CertificateIssuer.newCa("Sealgate Test CA");
        alice = ca.issue(IssueRequest.forEmail(ALICE, KeyType.RSA_2048));
        bob = ca.issue(IssueRequest.forEmail(BOB, KeyType.RSA_2048));
        gateway.keys().addManagedIdentity(alice.toManagedIdentity(ALICE));
        gateway.keys().addManagedIdentity(bob.toManagedIdentity(BOB));

        tools = new OpenPgpTools();
        for (String address : List.of(ALICE, BOB)) {
            tools.gpgGenerateKey("<" + address + ">");
            gateway.pgpKeys().addManagedKey((OpenPGPKey) PgpKeys.read(tools.gpgExportSecret("<" + address + ">")), null);
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {gateway, receiver, tools}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void smimeMailOpenSslEncryptedToBothManagedRecipientsShouldReachBothInClear() throws Exception {
        byte[] der = openSslEncrypt(SECRET, alice, bob);

        sendFromOutside("smime-both", pkcs7Mime(der));

        assertBothReceivedInClear("smime-both");
    }

    @Test
    void smimeMailForAliceWithARecipientInfoForBobCopiedFromAnotherMailShouldReleaseNothingToAnyone() throws Exception {
        byte[] forAlice = openSslEncrypt(SECRET, alice);
        byte[] malloryToBob = openSslEncrypt("anything", bob);

        sendFromOutside("smime-forged", pkcs7Mime(withRecipientInfosOf(forAlice, malloryToBob)));

        assertHeldAndNothingReleased("smime-forged", "S/MIME decryption failed", BOB);
    }

    @Test
    void smimeMailForAliceAloneSentToBothShouldOpenForAliceAndReachBobStillEncrypted() throws Exception {
        sendFromOutside("smime-alice", pkcs7Mime(openSslEncrypt(SECRET, alice)));

        assertThat(text(receiver.awaitOne(ALICE, "smime-alice"))).contains(SECRET);
        MimeMessage toBob = receiver.awaitOne(BOB, "smime-alice");
        assertThat(toBob.getContentType()).contains("application/pkcs7-mime");
        assertThat(new String(SmtpSink.raw(toBob), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    }

    @Test
    void openPgpMailGpgEncryptedToBothManagedRecipientsShouldReachBothInClear() throws Exception {
        String armored = gpgEncrypt(SECRET, "pgp-both", ALICE, BOB);

        sendFromOutside("pgp-both", pgpMime(armored));

        assertBothReceivedInClear("pgp-both");
    }

    @Test
    void openPgpMailForAliceWithASessionKeyPacketForBobCopiedFromAnotherMailShouldReleaseNothingToAnyone()
        throws Exception {
        byte[] forAlice = OpenPgpPackets.dearmor(gpgEncrypt(SECRET, "pgp-alice-only", ALICE).getBytes(StandardCharsets.US_ASCII));
        byte[] malloryToBob = OpenPgpPackets.dearmor(gpgEncrypt("anything", "pgp-to-bob", BOB).getBytes(StandardCharsets.US_ASCII));
        // gpg writes the session-key packet first; Bob's is put right after Alice's.
        int alicePacket = OpenPgpPackets.firstPacketLength(forAlice);
        int bobPacket = OpenPgpPackets.firstPacketLength(malloryToBob);
        byte[] forged = new byte[forAlice.length + bobPacket];
        System.arraycopy(forAlice, 0, forged, 0, alicePacket);
        System.arraycopy(malloryToBob, 0, forged, alicePacket, bobPacket);
        System.arraycopy(forAlice, alicePacket, forged, alicePacket + bobPacket, forAlice.length - alicePacket);

        sendFromOutside("pgp-forged", pgpMime(OpenPgpPackets.armor(forged)));

        // Bob's packet opens to the forger's session key, which cannot decrypt Alice's data.
        assertHeldAndNothingReleased("pgp-forged", "OpenPGP decryption failed", "session-key packet naming " + BOB);
    }

    private static void assertBothReceivedInClear(String id) throws Exception {
        for (String recipient : List.of(ALICE, BOB)) {
            MimeMessage received = receiver.awaitOne(recipient, id);
            assertThat(received.getHeader("X-Sealgate-Decryption", null)).startsWith("decrypted");
            assertThat(text(received)).contains(SECRET);
        }
        assertThat(gateway.awaitAuditEvent(id)).containsEntry("outcome", "relayed");
    }

    private static void assertHeldAndNothingReleased(String id, String... reason) throws Exception {
        Map<String, Object> event = gateway.awaitAuditEvent(id);
        assertThat(event).containsEntry("outcome", "held");
        assertThat(event.get("reason").toString()).contains(reason);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.quarantined() >= 1);
        for (String recipient : List.of(ALICE, BOB)) {
            assertThat(receiver.messagesFor(recipient)).as("nothing of it delivered to " + recipient)
                .noneMatch(message -> SmtpSink.messageId(message).contains(id));
        }
    }

    /** AES-256-GCM AuthEnvelopedData (RSA key transport) made by OpenSSL, DER. */
    private static byte[] openSslEncrypt(String text, IssuedIdentity... recipients) throws Exception {
        List<String> arguments = new java.util.ArrayList<>(List.of("cms", "-encrypt", "-aes-256-gcm", "-outform", "DER"));
        for (IssuedIdentity recipient : recipients) {
            Path certificate = Files.createTempFile(work, "recipient", ".pem");
            Files.writeString(certificate, recipient.certificatePem());
            arguments.addAll(List.of("-recip", certificate.toString()));
        }
        return OpenSslChecks.openssl(work, ("Content-Type: text/plain; charset=us-ascii\r\n\r\n" + text + "\r\n")
            .getBytes(StandardCharsets.US_ASCII), arguments.toArray(String[]::new));
    }

    /** The first message with the RecipientInfos of the second added (not covered by the MAC, so it still opens). */
    private static byte[] withRecipientInfosOf(byte[] message, byte[] other) throws Exception {
        AuthEnvelopedData data = AuthEnvelopedData.getInstance(ContentInfo.getInstance(message).getContent());
        AuthEnvelopedData donor = AuthEnvelopedData.getInstance(ContentInfo.getInstance(other).getContent());
        ASN1EncodableVector infos = new ASN1EncodableVector();
        for (ASN1Encodable info : data.getRecipientInfos()) {
            infos.add(info);
        }
        for (ASN1Encodable info : donor.getRecipientInfos()) {
            infos.add(info);
        }
        AuthEnvelopedData forged = new AuthEnvelopedData(data.getOriginatorInfo(), new DERSet(infos),
            data.getAuthEncryptedContentInfo(), data.getAuthAttrs(), data.getMac(), data.getUnauthAttrs());
        return new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, forged).getEncoded();
    }

    private static String gpgEncrypt(String text, String file, String... recipients) {
        tools.write(file + ".eml", "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + text + "\r\n");
        List<String> arguments = new java.util.ArrayList<>(List.of("--armor", "--encrypt"));
        for (String recipient : recipients) {
            arguments.addAll(List.of("--recipient", "<" + recipient + ">"));
        }
        arguments.addAll(List.of("--output", file + ".asc", file + ".eml"));
        OpenPgpTools.check(tools.gpg(arguments.toArray(String[]::new)));
        return new String(tools.read(file + ".asc"), StandardCharsets.US_ASCII);
    }

    private static byte[] pkcs7Mime(byte[] der) {
        return ("Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data; name=\"smime.p7m\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n"
            + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] pgpMime(String armored) {
        return ("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"pgp-enc\"\r\n\r\n"
            + "--pgp-enc\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
            + "--pgp-enc\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n"
            + PgpMails.crlf(armored) + "\r\n--pgp-enc--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void sendFromOutside(String id, byte[] entity) throws Exception {
        byte[] message = TestMails.wrap(MALLORY, List.of(ALICE, BOB), "Minutes", id, entity);
        try (SmtpClient client = new SmtpClient(OUTSIDE_CLIENT, gateway.smtpPort())) {
            assertThat(client.mail(MALLORY, List.of(ALICE, BOB), message).code()).isEqualTo(250);
        }
    }

    private static String text(MimeMessage message) {
        return new String(SmtpSink.raw(message), StandardCharsets.ISO_8859_1);
    }
}
