package org.sealgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sealgate.pgp.PgpKeys;

/** Where OpenPGP data sits in a message: PGP/MIME (RFC 3156) parts, inline armor in text parts, attached keys. */
final class PgpMime {
    static final String BEGIN_MESSAGE = "-----BEGIN PGP MESSAGE-----";
    static final String END_MESSAGE = "-----END PGP MESSAGE-----";

    private PgpMime() {
    }

    static boolean isPgpMimeEncrypted(MimeMessage message) {
        ContentType type = contentType(message);
        return type != null && type.match("multipart/encrypted")
            && "application/pgp-encrypted".equalsIgnoreCase(type.getParameter("protocol"));
    }

    static boolean isPgpMimeSigned(MimePart part) {
        ContentType type = contentType(part);
        return type != null && type.match("multipart/signed")
            && "application/pgp-signature".equalsIgnoreCase(type.getParameter("protocol"));
    }

    /** The OpenPGP message of a PGP/MIME encrypted message (the second part, transfer-decoded). */
    static byte[] encryptedPayload(MimeMessage message) throws MessagingException, IOException {
        return encryptedPayloadInPlace(message).toArray();
    }

    /**
     * As {@link #encryptedPayload}, read once into one array and left there: a payload without transfer encoding (as
     * every implementation sends armor) is the range of the body it occupies. Before, a 1 MB mail's payload was
     * copied six times on its way to the armor decoder (raw body, split, body part, decoded stream).
     */
    static ByteSlice encryptedPayloadInPlace(MimeMessage message) throws MessagingException, IOException {
        ContentType type = contentType(message);
        byte[] body = rawBody(message);
        List<ByteSlice> parts = MultipartSplitter.ranges(body, type.getParameter("boundary"));
        if (parts.size() != 2) {
            throw new MessagingException("PGP/MIME encrypted message must have two parts, found " + parts.size());
        }
        MimeBodyPart control = new MimeBodyPart(parts.get(0).stream());
        ByteSlice payloadPart = parts.get(1);
        InputStream payloadStream = payloadPart.stream();
        // Only the header block is read here; what is left in the stream is the payload's body.
        MimeBodyPart payload = new MimeBodyPart(new InternetHeaders(payloadStream), new byte[0]);
        ByteSlice payloadBody = new ByteSlice(body, payloadPart.to() - payloadStream.available(), payloadPart.to());
        if (!control.isMimeType("application/pgp-encrypted") || !payload.isMimeType("application/octet-stream")) {
            throw new MessagingException("PGP/MIME encrypted parts are " + control.getContentType() + " and " + payload.getContentType());
        }
        String encoding = payload.getEncoding();
        if (encoding == null || IDENTITY_ENCODINGS.contains(encoding.strip().toLowerCase(java.util.Locale.ROOT))) {
            return payloadBody;
        }
        try (InputStream in = javax.mail.internet.MimeUtility.decode(payloadBody.stream(), encoding)) {
            return ByteSlice.of(MimeEntities.readAll(in));
        }
    }

    private static final java.util.Set<String> IDENTITY_ENCODINGS = java.util.Set.of("7bit", "8bit", "binary");

    /**
     * The still transfer-encoded body, read into one array of its size when the stream says how much it holds (a
     * stored message's does), instead of a growing buffer and a copy of it.
     */
    private static byte[] rawBody(MimeMessage message) throws MessagingException, IOException {
        InputStream raw;
        try {
            raw = message.getRawInputStream();
        } catch (MessagingException e) {
            return MimeEntities.rawBody(message);
        }
        try (raw) {
            int expected = raw.available();
            if (expected <= 0 || expected > (64 << 20)) {
                return MimeEntities.readAll(raw);
            }
            byte[] body = new byte[expected];
            int size = 0;
            int n;
            while (size < expected && (n = raw.read(body, size, expected - size)) != -1) {
                size += n;
            }
            if (size < expected) {
                return Arrays.copyOf(body, size);
            }
            int next = raw.read();
            if (next == -1) {
                return body;
            }
            // More than announced: the rest read as before.
            ByteArrayOutputStream rest = new ByteArrayOutputStream(expected + 8192);
            rest.write(body, 0, size);
            rest.write(next);
            rest.writeBytes(MimeEntities.readAll(raw));
            return rest.toByteArray();
        }
    }

    /**
     * The message itself when it is text/plain holding an armored PGP message. An armored block inside a multipart
     * is never decrypted in place: the sender composed the parts around it, and decrypting there would show an old
     * ciphertext's plaintext inside the attacker's HTML or text (EFAIL direct exfiltration); see
     * {@link NestedEncryption}.
     */
    static Optional<MimePart> inlineEncryptedPart(MimePart message) throws MessagingException, IOException {
        if (message.isMimeType("text/plain") && text(message).contains(BEGIN_MESSAGE)) {
            return Optional.of(message);
        }
        return Optional.empty();
    }

    static String text(MimePart part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return new String(MimeEntities.readAll(in), charset(part));
        }
    }

    static java.nio.charset.Charset charset(MimePart part) {
        try {
            String name = contentType(part) == null ? null : contentType(part).getParameter("charset");
            return name == null ? StandardCharsets.US_ASCII : java.nio.charset.Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * Keys that came with the message: application/pgp-keys parts and the Autocrypt header. They can show who
     * signed, but a signature by them is never trusted.
     */
    static List<OpenPGPCertificate> attachedKeys(MimeMessage message) {
        List<OpenPGPCertificate> keys = new ArrayList<>();
        try {
            String[] autocrypt = message.getHeader("Autocrypt");
            if (autocrypt != null) {
                for (String header : autocrypt) {
                    int start = header.indexOf("keydata=");
                    if (start >= 0) {
                        String data = header.substring(start + "keydata=".length()).replaceAll("[\\s;]", "");
                        addKeys(keys, Base64.getDecoder().decode(data));
                    }
                }
            }
            // PGP/MIME encrypted has exactly its control part and the ciphertext (RFC 3156 §4), never a key part:
            // walking it parsed the whole encrypted message once more per mail.
            if (!isPgpMimeEncrypted(message)) {
                collectKeyParts(message, keys);
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            // An unreadable key is simply not a candidate.
        }
        return keys;
    }

    private static void collectKeyParts(MimePart part, List<OpenPGPCertificate> keys) throws MessagingException, IOException {
        if (part.isMimeType("application/pgp-keys")) {
            try (InputStream in = part.getInputStream()) {
                addKeys(keys, MimeEntities.readAll(in));
            }
        } else if (part.isMimeType("multipart/*")) {
            MimeMultipart multipart = (MimeMultipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                if (multipart.getBodyPart(i) instanceof MimeBodyPart child) {
                    collectKeyParts(child, keys);
                }
            }
        }
    }

    private static void addKeys(List<OpenPGPCertificate> keys, byte[] data) {
        try {
            for (OpenPGPCertificate certificate : PgpKeys.readAll(data)) {
                keys.add(certificate.isSecretKey() ? ((org.bouncycastle.openpgp.api.OpenPGPKey) certificate).toCertificate() : certificate);
            }
        } catch (RuntimeException e) {
            // not a key
        }
    }

    static ContentType contentType(MimePart part) {
        try {
            String header = part.getContentType();
            return header == null ? null : new ContentType(header);
        } catch (MessagingException e) {
            return null;
        }
    }
}
