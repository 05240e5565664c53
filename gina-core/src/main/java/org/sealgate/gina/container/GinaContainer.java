package org.sealgate.gina.container;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * The encrypted container inside {@code secure-message.html}, format version 1 (big-endian, length-prefixed):
 * <pre>
 * "SGGINA" | version (1 byte) | keyId | recipient | messageId | sealedAt (8 bytes, epoch s)     = header
 * wrapNonce (12) | wrappedKey (32 + 16 tag) | contentNonce (12) | ciphertext (+16 tag)
 * </pre>
 * Strings are u16-length UTF-8, byte fields u8- or u32-length. The header is in clear (the portal reads the
 * recipient to know whom to ask for a password) and is the authenticated data of both GCM operations, so a
 * changed recipient, message id or key id makes opening fail. Parsing checks lengths before allocating.
 */
public record GinaContainer(int version, String keyId, String recipient, String messageId, Instant sealedAt,
                            byte[] wrapNonce, byte[] wrappedKey, byte[] contentNonce, byte[] ciphertext) {
    public static final int VERSION_1 = 1;
    /** A container larger than this is refused before any parsing (the portal also caps the upload). */
    public static final int MAX_BYTES = 64 * 1024 * 1024;
    private static final byte[] MAGIC = "SGGINA".getBytes(StandardCharsets.US_ASCII);

    /** The authenticated data: the header exactly as serialised. */
    public byte[] header() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(version);
            writeString(out, keyId);
            writeString(out, recipient);
            writeString(out, messageId);
            out.writeLong(sealedAt.getEpochSecond());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public byte[] toBytes() {
        byte[] header = header();
        // Sized exactly: the ciphertext is most of a container, so it is copied once, never while the buffer grows.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(header.length + 3 + wrapNonce.length + wrappedKey.length
            + contentNonce.length + 4 + ciphertext.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(header);
            writeShortBytes(out, wrapNonce);
            writeShortBytes(out, wrappedKey);
            writeShortBytes(out, contentNonce);
            out.writeInt(ciphertext.length);
            out.write(ciphertext);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Base64url without padding: what the HTML form posts (no characters that need URL encoding). */
    public String toBase64Url() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(toBytes());
    }

    /**
     * The container from its base64url text; white space anywhere in it (line breaks of a tool or client that
     * wrapped the page's one long run) is skipped.
     */
    public static GinaContainer fromBase64Url(String text) throws ContainerException {
        // Wrapping adds at most a tenth (CRLF per 76 characters); anything longer is refused before copying.
        if (text.length() > (MAX_BYTES / 3 * 4 + 4) / 10 * 11) {
            throw new ContainerException(ContainerFailure.MALFORMED, "the container is larger than " + MAX_BYTES + " bytes");
        }
        byte[] base64 = new byte[text.length()];
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\f') {
                continue;
            }
            if (c > 0x7f) {
                throw new ContainerException(ContainerFailure.MALFORMED, "the container is not base64url text");
            }
            base64[length++] = (byte) c;
        }
        if (length > MAX_BYTES / 3 * 4 + 4) {
            throw new ContainerException(ContainerFailure.MALFORMED, "the container is larger than " + MAX_BYTES + " bytes");
        }
        try {
            return parse(Base64.getUrlDecoder().decode(Arrays.copyOf(base64, length)));
        } catch (IllegalArgumentException e) {
            throw new ContainerException(ContainerFailure.MALFORMED, "the container is not base64url text");
        }
    }

    public static GinaContainer parse(byte[] bytes) throws ContainerException {
        if (bytes.length > MAX_BYTES) {
            throw new ContainerException(ContainerFailure.MALFORMED, "the container is larger than " + MAX_BYTES + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ContainerException(ContainerFailure.MALFORMED, "not a Sealgate secure-message container");
            }
            int version = in.get() & 0xff;
            if (version != VERSION_1) {
                throw new ContainerException(ContainerFailure.UNSUPPORTED_VERSION,
                    "container format version " + version + " is not supported (this portal reads version " + VERSION_1 + ")");
            }
            String keyId = readString(in);
            String recipient = readString(in);
            String messageId = readString(in);
            Instant sealedAt = Instant.ofEpochSecond(in.getLong());
            byte[] wrapNonce = readShortBytes(in);
            byte[] wrappedKey = readShortBytes(in);
            byte[] contentNonce = readShortBytes(in);
            int length = in.getInt();
            if (length < 0 || length != in.remaining()) {
                throw new ContainerException(ContainerFailure.MALFORMED, "the container is truncated or has trailing bytes");
            }
            byte[] ciphertext = new byte[length];
            in.get(ciphertext);
            return new GinaContainer(version, keyId, recipient, messageId, sealedAt, wrapNonce, wrappedKey, contentNonce, ciphertext);
        } catch (BufferUnderflowException e) {
            throw new ContainerException(ContainerFailure.MALFORMED, "the container is truncated");
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xffff) {
            throw new IllegalArgumentException("header field longer than 65535 bytes");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static void writeShortBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeByte(value.length);
        out.write(value);
    }

    private static String readString(ByteBuffer in) throws ContainerException {
        byte[] utf8 = new byte[in.getShort() & 0xffff];
        in.get(utf8);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new ContainerException(ContainerFailure.MALFORMED, "a header field is not UTF-8");
        }
    }

    private static byte[] readShortBytes(ByteBuffer in) {
        byte[] value = new byte[in.get() & 0xff];
        in.get(value);
        return value;
    }

    @Override
    public String toString() {
        return "GinaContainer[v" + version + ", key " + keyId + ", for " + recipient + ", message " + messageId
            + ", " + ciphertext.length + " bytes]";
    }
}
