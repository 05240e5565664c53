package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.util.SharedByteArrayInputStream;

import org.junit.jupiter.api.Test;

/**
 * The byte scan behind {@link NestedEncryption#find} answers as JavaMail's tree walk does wherever it answers, and
 * leaves to the walk what only JavaMail's reading can tell (transfer-encoded text, odd charsets, broken multiparts).
 */
class NestedEncryptionScanTest {
    private static final String ARMOR = "-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA0xyz\r\n-----END PGP MESSAGE-----\r\n";
    private static final String HEADERS = "From: bob@partner.test\r\nTo: alice@sealgate.test\r\nSubject: hi\r\n"
        + "MIME-Version: 1.0\r\n";

    private static String mixed(String boundary, String... parts) {
        StringBuilder out = new StringBuilder("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\npreamble\r\n");
        for (String part : parts) {
            out.append("--").append(boundary).append("\r\n").append(part);
        }
        return out.append("--").append(boundary).append("--\r\nepilogue\r\n").toString();
    }

    private static String text(String body) {
        return "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body + "\r\n";
    }

    private static String attachment(String body) {
        return "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body + "\r\n";
    }

    private static MimeMessage message(String entity, boolean shared) throws Exception {
        byte[] bytes = (HEADERS + entity).getBytes(StandardCharsets.ISO_8859_1);
        Session session = Session.getInstance(new Properties());
        return new MimeMessage(session, shared ? new SharedByteArrayInputStream(bytes) : new ByteArrayInputStream(bytes));
    }

    /** The scan decides, and as the walk does; both for shared (James's spool) and copied content. */
    private static Optional<String> decided(String entity) throws Exception {
        for (boolean shared : new boolean[] {true, false}) {
            MimeMessage message = message(entity, shared);
            Optional<Optional<String>> scanned = NestedEncryption.scan(message);
            assertThat(scanned).as("the scan decides").isPresent();
            assertThat(scanned.get()).isEqualTo(NestedEncryption.walk(message(entity, shared)));
            assertThat(NestedEncryption.find(message(entity, shared))).isEqualTo(scanned.get());
        }
        return NestedEncryption.scan(message(entity, true)).get();
    }

    /** The scan leaves it to the walk, and find answers as the walk. */
    private static Optional<String> leftToTheWalk(String entity) throws Exception {
        MimeMessage message = message(entity, true);
        assertThat(NestedEncryption.scan(message)).as("left to the walk").isEmpty();
        Optional<String> walked = NestedEncryption.walk(message(entity, true));
        assertThat(NestedEncryption.find(message(entity, true))).isEqualTo(walked);
        return walked;
    }

    @Test
    void plainMixedMailShouldBeDecidedAsNothingNested() throws Exception {
        assertThat(decided(mixed("b1", text("hello\r\n-- \r\nBob"), attachment("AAECAwQF")))).isEmpty();
    }

    @Test
    void nestedPgpMimeShouldBeFoundInsideANestedMultipart() throws Exception {
        String encrypted = "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=e\r\n\r\n"
            + "--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--e\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n" + ARMOR + "--e--\r\n";
        String alternative = "Content-Type: multipart/alternative; boundary=a\r\n\r\n--a\r\n" + text("one") + "--a\r\n"
            + encrypted + "--a--\r\n";
        assertThat(decided(mixed("b1", text("first"), alternative))).contains("a multipart/encrypted part");
    }

    @Test
    void smimeEnvelopedPartShouldBeFoundAndSignedDataNot() throws Exception {
        String enveloped = "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\r\n";
        String signedData = "Content-Type: application/pkcs7-mime; smime-type=signed-data\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\r\n";
        assertThat(decided(mixed("b1", text("x"), enveloped))).contains("an S/MIME encrypted part");
        assertThat(decided(mixed("b1", text("x"), signedData))).isEmpty();
    }

    @Test
    void armorInATextPartShouldBeFoundEvenMidLine() throws Exception {
        assertThat(decided(mixed("b1", text("see: " + ARMOR)))).contains("an armored OpenPGP message in a text/plain part");
        assertThat(decided(mixed("b1", "Content-Type: text/html\r\n\r\n<pre>" + ARMOR + "</pre>\r\n")))
            .contains("an armored OpenPGP message in a text/html part");
    }

    @Test
    void armorOutsideTextPartsShouldNotCount() throws Exception {
        // In an attachment, in a delimiter line, in the preamble, in a forwarded message.
        assertThat(decided(mixed("b1", text("x"), "Content-Type: application/octet-stream\r\n\r\n" + ARMOR))).isEmpty();
        assertThat(decided(mixed("-----BEGIN PGP MESSAGE-----", text("no armor here")))).isEmpty();
        assertThat(decided("Content-Type: multipart/mixed; boundary=b1\r\n\r\n" + ARMOR + "--b1\r\n" + text("x") + "--b1--\r\n"))
            .isEmpty();
        assertThat(decided(mixed("b1", text("x"), "Content-Type: message/rfc822\r\n\r\nSubject: old\r\n\r\n" + ARMOR)))
            .isEmpty();
    }

    @Test
    void theFirstEncryptedPartInDocumentOrderShouldBeNamed() throws Exception {
        String enveloped = "Content-Type: application/pkcs7-mime\r\n\r\nMIAG\r\n";
        assertThat(decided(mixed("b1", text(ARMOR), enveloped))).contains("an armored OpenPGP message in a text/plain part");
        assertThat(decided(mixed("b1", enveloped, text(ARMOR)))).contains("an S/MIME encrypted part");
    }

    @Test
    void signedWrapperLikeTheBenchmarksShouldBeDecided() throws Exception {
        String inner = "Content-Type: multipart/mixed; boundary=\"=_inner\"\r\n\r\n--=_inner\r\n" + text("hello")
            + "--=_inner\r\n" + attachment("QUJD\r\nREVG") + "--=_inner--\r\n";
        String signed = "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;\r\n"
            + "\tboundary=\"----sig\"\r\n\r\nThis is an S/MIME signed message\r\n\r\n------sig\r\n" + inner + "\r\n------sig\r\n"
            + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\nMIIG\r\n"
            + "------sig--\r\n";
        assertThat(decided(signed)).isEmpty();
        assertThat(decided(signed.replace("hello", ARMOR))).contains("an armored OpenPGP message in a text/plain part");
        assertThat(decided(signed.replace("\r\n", "\n").replace("hello", ARMOR)))
            .contains("an armored OpenPGP message in a text/plain part");
    }

    @Test
    void aMissingClosingDelimiterShouldStillBeDecided() throws Exception {
        assertThat(decided("Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n" + text("x") + "--b1\r\n" + text(ARMOR)))
            .contains("an armored OpenPGP message in a text/plain part");
    }

    @Test
    void whatOnlyJavaMailsReadingCanTellShouldBeLeftToTheWalk() throws Exception {
        // Armor under quoted-printable, in UTF-16, a nested multipart that never opens, a text part past the limit.
        assertThat(leftToTheWalk(mixed("b1", "Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + ARMOR))).contains("an armored OpenPGP message in a text/plain part");
        leftToTheWalk(mixed("b1", "Content-Type: text/plain; charset=utf-16\r\n\r\nxx\r\n"));
        assertThat(leftToTheWalk(mixed("b1", "Content-Type: multipart/mixed; boundary=never\r\n\r\nno start\r\n", text(ARMOR))))
            .isEmpty();
        String big = "x".repeat(NestedEncryption.MAX_TEXT_BYTES + 10);
        assertThat(leftToTheWalk(mixed("b1", text(big + ARMOR)))).isEmpty();
        leftToTheWalk("Content-Type: multipart/mixed\r\n\r\n--x\r\n" + text(ARMOR) + "--x--\r\n");
        leftToTheWalk("Content-Type: multipart/mixed; boundary=b1\r\nContent-Transfer-Encoding: base64\r\n\r\nLS1iMQ==\r\n");
    }

    @Test
    void aTextPartFarOverTheWalksLimitShouldBeDecidedAsTheWalkSkipsIt() throws Exception {
        // A 1 MB text mail signed (the inbound benchmark's shape): the walk does not read so large a text part, armor
        // in it or not; a small part after it is still read.
        String big = "a line of plain text, repeated\r\n".repeat(NestedEncryption.MAX_TEXT_BYTES / 30 + 400);
        String signed = "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;\r\n"
            + "\tboundary=\"----sig\"\r\n\r\nThis is an S/MIME signed message\r\n\r\n------sig\r\n" + text(big)
            + "\r\n------sig\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nMIIG\r\n------sig--\r\n";
        assertThat(decided(signed)).isEmpty();
        assertThat(decided(mixed("b1", text(big + ARMOR)))).isEmpty();
        assertThat(decided(mixed("b1", text(ARMOR + big)))).isEmpty();
        assertThat(decided(mixed("b1", text(big + ARMOR), text(ARMOR))))
            .contains("an armored OpenPGP message in a text/plain part");
        assertThat(decided(mixed("b1", text(big), "Content-Type: text/html\r\n\r\n" + ARMOR)))
            .contains("an armored OpenPGP message in a text/html part");
    }

    @Test
    void armorAndDelimitersAtEveryByteAlignmentShouldBeFoundAsTheWalkFindsThem() throws Exception {
        // The scan looks at eight bytes at a time: every offset of the armor and of the lines within a word.
        for (int shift = 0; shift < 17; shift++) {
            String pad = "y".repeat(shift);
            assertThat(decided(mixed("b1", attachment(pad + "QUJD".repeat(40) + "\r\n" + pad), text(pad + "x-y " + ARMOR))))
                .contains("an armored OpenPGP message in a text/plain part");
            assertThat(decided(mixed("b1", text(pad + "-- -----BEGIN PGP MESSAGE---- " + pad), attachment(pad + ARMOR)))).isEmpty();
        }
    }

    @Test
    void armorSplitAcrossWritesShouldBeFound() throws Exception {
        NestedEncryptionScan scan = new NestedEncryptionScan("multipart/mixed; boundary=b1");
        byte[] body = ("--b1\r\n" + text("x " + ARMOR) + "--b1--\r\n").getBytes(StandardCharsets.US_ASCII);
        for (byte b : body) {
            scan.write(b);
        }
        scan.close();
        assertThat(scan.undecided()).isFalse();
        assertThat(scan.result()).contains("an armored OpenPGP message in a text/plain part");
    }
}
