package org.sealgate.node;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.sealgate.testing.TestMessages;

/** PGP/MIME pieces for the real-server tests: wrapping what gpg/sqop made, unwrapping what the gateway sent. */
final class PgpMails {
    private PgpMails() {
    }

    /** A PGP/MIME encrypted message (RFC 3156 §4) around an armored OpenPGP message. */
    static byte[] encrypted(String from, String to, String subject, String id, String armored) {
        return TestMails.wrap(from, List.of(to), subject, id, ("Content-Type: multipart/encrypted; "
            + "protocol=\"application/pgp-encrypted\"; boundary=\"pgp-enc\"\r\n\r\n"
            + "--pgp-enc\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
            + "--pgp-enc\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n"
            + crlf(armored) + "\r\n--pgp-enc--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** A PGP/MIME signed message (RFC 3156 §5): the part exactly as signed, then the detached signature. */
    static byte[] signed(String from, String to, String subject, String id, String signedPart, String armoredSignature) {
        return TestMails.wrap(from, List.of(to), subject, id, ("Content-Type: multipart/signed; micalg=pgp-sha512; "
            + "protocol=\"application/pgp-signature\"; boundary=\"pgp-sig\"\r\n\r\n"
            + "--pgp-sig\r\n" + signedPart + "\r\n--pgp-sig\r\n"
            + "Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n\r\n"
            + crlf(armoredSignature) + "\r\n--pgp-sig--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** The armored OpenPGP message of a PGP/MIME encrypted message the gateway sent. */
    static String payload(MimeMessage received) throws Exception {
        MimeMultipart multipart = (MimeMultipart) received.getContent();
        try (InputStream in = multipart.getBodyPart(1).getInputStream()) {
            return new String(TestMessages.readAll(in), StandardCharsets.US_ASCII);
        }
    }

    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").stripTrailing();
    }

    /** A MIME entity with a text part and a binary attachment, as a client puts it inside the encryption. */
    static String entityWithAttachment(String from, String subject, byte[] attachment) {
        return "From: " + from + "\r\nSubject: " + subject + "\r\n"
            + "Content-Type: multipart/mixed; boundary=\"inner\"\r\n\r\n"
            + "--inner\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nReport attached.\r\n"
            + "--inner\r\nContent-Type: application/octet-stream; name=\"report.bin\"\r\n"
            + "Content-Disposition: attachment; filename=\"report.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + java.util.Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment)
            + "\r\n--inner--\r\n";
    }
}
