package org.sealgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.activation.DataHandler;
import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/**
 * Makes an entity 7-bit clean before signing (RFC 8551 §3.1.1): a relay that downgrades 8bit to quoted-printable,
 * or folds an over-long line, would otherwise break the signature in transit.
 */
final class TransferEncodings {
    private static final int MAX_LINE = 998;
    private static final byte[] CTE = "content-transfer-encoding:".getBytes(StandardCharsets.US_ASCII);

    private TransferEncodings() {
    }

    /**
     * True when any line (header of the entity or of a nested part) is {@code Content-Transfer-Encoding: binary}.
     * A byte scan: a regular expression over a 100 KB message was a few percent of the node's CPU.
     */
    static boolean declaresBinary(byte[] entity) {
        for (int start = 0; start < entity.length; ) {
            int end = lineEnd(entity, start);
            if (isBinaryCte(entity, start, end)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static int lineEnd(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }

    /**
     * {@link #isBinaryCte} for the line starting at {@code start} (bounded by {@code limit}): the prefix is compared
     * first, so the end of the line is looked for only on a Content-Transfer-Encoding line. For one-pass scans.
     */
    static boolean isBinaryCteLine(byte[] bytes, int start, int limit) {
        if (limit - start < CTE.length) {
            return false;
        }
        for (int i = 0; i < CTE.length; i++) {
            if (Character.toLowerCase((char) (bytes[start + i] & 0xff)) != CTE[i]) {
                return false;
            }
        }
        return isBinaryCte(bytes, start, lineEnd(bytes, start, limit));
    }

    private static int lineEnd(byte[] bytes, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return limit;
    }

    /** {@code content-transfer-encoding:} (any case), optional blanks, {@code binary}, optional blanks and CR. */
    private static boolean isBinaryCte(byte[] bytes, int start, int end) {
        if (end - start < CTE.length || (bytes[start] | 0x20) != 'c') {
            return false;
        }
        for (int i = 0; i < CTE.length; i++) {
            if (Character.toLowerCase((char) (bytes[start + i] & 0xff)) != CTE[i]) {
                return false;
            }
        }
        String value = new String(bytes, start + CTE.length, end - start - CTE.length, StandardCharsets.ISO_8859_1);
        return value.strip().equalsIgnoreCase("binary");
    }

    /** True when the bytes would not survive a 7-bit relay: 8-bit octets, NUL, or lines over 998 octets. */
    static boolean needsSevenBitConversion(byte[] bytes) {
        int lineLength = 0;
        for (byte b : bytes) {
            if (b < 0 || b == 0) {
                return true;
            }
            if (b == '\n') {
                lineLength = 0;
            } else if (++lineLength > MAX_LINE) {
                return true;
            }
        }
        return false;
    }

    /** Re-encodes every offending leaf: text as quoted-printable, everything else as base64. */
    static byte[] toSevenBit(byte[] entity) throws MessagingException, IOException {
        UpdatableBodyPart root = new UpdatableBodyPart(new ByteArrayInputStream(entity));
        convert(root);
        root.update();
        return MimeEntities.serialize(root);
    }

    /** Returns true when the part (or something inside it) was re-encoded. */
    private static boolean convert(MimeBodyPart part) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            MimeMultipart multipart = (MimeMultipart) part.getContent();
            boolean changed = false;
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                changed |= child instanceof MimeBodyPart mime && convert(mime);
            }
            if (changed) {
                String contentType = part.getContentType();
                part.setContent(multipart);
                part.setHeader("Content-Type", contentType);
            }
            return changed;
        }
        if (part.isMimeType("message/*")) {
            // RFC 2046 §5.2.1: message/rfc822 may only be 7bit, 8bit or binary, never base64/QP; left as it is.
            return false;
        }
        byte[] raw = MimeEntities.rawBody(part);
        String encoding = part.getEncoding() == null ? "7bit" : part.getEncoding().toLowerCase(Locale.ROOT);
        boolean unsafe = encoding.equals("8bit") || encoding.equals("binary") || needsSevenBitConversion(raw);
        if (!unsafe || encoding.equals("base64") || encoding.equals("quoted-printable")) {
            return false;
        }
        byte[] decoded;
        try (InputStream in = part.getInputStream()) {
            decoded = MimeEntities.readAll(in);
        }
        String contentType = part.getContentType();
        boolean text = new ContentType(contentType).match("text/*");
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(decoded, contentType)));
        // setDataHandler dropped the content headers; put back the original type and the safe encoding.
        part.setHeader("Content-Type", contentType);
        part.setHeader("Content-Transfer-Encoding", text ? "quoted-printable" : "base64");
        return true;
    }

    /** Exposes the protected updateHeaders so the converted tree writes consistent headers. */
    private static final class UpdatableBodyPart extends MimeBodyPart {
        UpdatableBodyPart(InputStream in) throws MessagingException {
            super(in);
        }

        void update() throws MessagingException {
            updateHeaders();
        }
    }
}
