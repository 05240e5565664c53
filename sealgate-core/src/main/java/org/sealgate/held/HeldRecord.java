package org.sealgate.held;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bytes of one held-mail file. Header (clear, ASCII, the associated data of both parts):
 * {@code sealgate-held/1 <id> <held-at> <key-id>\n}; then the sealed metadata (4-byte length, nonce, ciphertext and
 * tag) and the sealed message (nonce, ciphertext and tag, to the end of the file).
 */
final class HeldRecord {
    static final String FORMAT = "sealgate-held/1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_HEADER = 200;
    private static final int MAX_METADATA = 1 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The clear header. */
    record Header(String id, Instant heldAt, String keyId) {
        byte[] bytes() {
            return (FORMAT + " " + id + " " + heldAt + " " + keyId + "\n").getBytes(StandardCharsets.US_ASCII);
        }

        byte[] associatedData(String part) {
            byte[] header = bytes();
            byte[] label = part.getBytes(StandardCharsets.US_ASCII);
            byte[] out = Arrays.copyOf(header, header.length + label.length);
            System.arraycopy(label, 0, out, header.length, label.length);
            return out;
        }
    }

    private HeldRecord() {
    }

    static byte[] seal(HeldMail mail, byte[] content, HeldMailKey key) {
        Header header = new Header(mail.id(), mail.heldAt(), key.keyId());
        byte[] mailKey = key.mailKey(mail.id());
        try {
            byte[] metadata = seal(mailKey, encodeMetadata(mail), header.associatedData("metadata"));
            byte[] message = seal(mailKey, content, header.associatedData("content"));
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + metadata.length + 256);
            out.writeBytes(header.bytes());
            out.writeBytes(ByteBuffer.allocate(4).putInt(metadata.length).array());
            out.writeBytes(metadata);
            out.writeBytes(message);
            return out.toByteArray();
        } finally {
            Arrays.fill(mailKey, (byte) 0);
        }
    }

    /** Reads the clear header; {@code expectedId} is the file's name, which must be the id the header names. */
    static Header readHeader(InputStream in, String expectedId) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0 || line.size() >= MAX_HEADER) {
                throw new IOException("not a held mail record (no header)");
            }
            line.write(b);
        }
        String[] fields = line.toString(StandardCharsets.US_ASCII).split(" ");
        if (fields.length != 4 || !fields[0].equals(FORMAT)) {
            throw new IOException("not a held mail record of format " + FORMAT);
        }
        if (!fields[1].equals(expectedId)) {
            throw new IOException("record names id " + fields[1] + " but is stored as " + expectedId + " (moved?)");
        }
        try {
            return new Header(fields[1], Instant.parse(fields[2]), fields[3]);
        } catch (DateTimeParseException e) {
            throw new IOException("record has no valid time");
        }
    }

    static HeldMail openMetadata(Header header, DataInputStream in, HeldMailKey key) throws IOException {
        checkKey(header, key);
        int length = in.readInt();
        if (length < NONCE_BYTES + TAG_BITS / 8 || length > MAX_METADATA) {
            throw new IOException("damaged record (metadata length " + length + ")");
        }
        byte[] sealed = in.readNBytes(length);
        if (sealed.length != length) {
            throw new IOException("damaged record (truncated)");
        }
        byte[] mailKey = key.mailKey(header.id());
        try {
            return decodeMetadata(header, open(mailKey, sealed, header.associatedData("metadata")));
        } finally {
            Arrays.fill(mailKey, (byte) 0);
        }
    }

    static byte[] openContent(Header header, InputStream rest, HeldMailKey key) throws IOException {
        byte[] mailKey = key.mailKey(header.id());
        try {
            return open(mailKey, rest.readAllBytes(), header.associatedData("content"));
        } finally {
            Arrays.fill(mailKey, (byte) 0);
        }
    }

    private static void checkKey(Header header, HeldMailKey key) throws IOException {
        if (!header.keyId().equals(key.keyId())) {
            throw new IOException("sealed under key " + header.keyId() + ", this node's key is " + key.keyId()
                + " (another cluster master key or held-mail.key?)");
        }
    }

    private static byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    private static byte[] open(byte[] key, byte[] sealed, byte[] associatedData) throws IOException {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IOException("damaged record (too short)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IOException("integrity check failed (the record was changed, or sealed under another key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    private static byte[] encodeMetadata(HeldMail mail) {
        Properties properties = new Properties();
        properties.setProperty("reason", mail.reason());
        properties.setProperty("sender", mail.sender());
        properties.setProperty("recipients", String.join("\n", mail.recipients()));
        properties.setProperty("node", mail.node());
        properties.setProperty("remote-addr", mail.remoteAddr());
        properties.setProperty("remote-host", mail.remoteHost());
        properties.setProperty("trusted-client", Boolean.toString(mail.trustedClient()));
        properties.setProperty("subject", mail.subject());
        properties.setProperty("message-id", mail.messageId());
        StringWriter writer = new StringWriter();
        try {
            properties.store(writer, null);
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter does not fail", e);
        }
        return writer.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static HeldMail decodeMetadata(Header header, byte[] bytes) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        String recipients = properties.getProperty("recipients", "");
        return new HeldMail(header.id(), header.heldAt(), properties.getProperty("reason"), properties.getProperty("sender"),
            recipients.isEmpty() ? List.of() : List.of(recipients.split("\n")), properties.getProperty("node"),
            properties.getProperty("remote-addr"), properties.getProperty("remote-host"),
            Boolean.parseBoolean(properties.getProperty("trusted-client")), properties.getProperty("subject"),
            properties.getProperty("message-id"));
    }
}
