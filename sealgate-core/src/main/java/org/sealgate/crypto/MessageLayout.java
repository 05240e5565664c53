package org.sealgate.crypto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/**
 * A result message laid out in one array of its exact size: header lines, empty line, then the body's pieces (short
 * texts, the signed entity read where it lies, the base64 of a signature or envelope). Building it through streams,
 * {@code toByteArray} and a final {@link MimeEntities#join} copied the whole mail three more times.
 */
final class MessageLayout {
    private final List<Object> pieces = new ArrayList<>();
    private int length;

    /** Starts with these header lines and the empty line after them. */
    MessageLayout(List<String> headerLines) {
        bytes(MimeEntities.join(headerLines, new byte[0]));
    }

    MessageLayout text(String ascii) {
        return bytes(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    MessageLayout bytes(byte[] bytes) {
        pieces.add(bytes);
        length += bytes.length;
        return this;
    }

    MessageLayout entity(OutgoingEntity entity) {
        pieces.add(entity);
        length += entity.length();
        return this;
    }

    byte[] toBytes() {
        byte[] out = new byte[length];
        int p = 0;
        for (Object piece : pieces) {
            if (piece instanceof byte[] bytes) {
                System.arraycopy(bytes, 0, out, p, bytes.length);
                p += bytes.length;
            } else {
                p = ((OutgoingEntity) piece).copyInto(out, p);
            }
        }
        return out;
    }

    /** The message (it keeps this array as its content: {@link MimeEntities#message}). */
    MimeMessage toMessage() throws MessagingException {
        return MimeEntities.message(toBytes());
    }
}
