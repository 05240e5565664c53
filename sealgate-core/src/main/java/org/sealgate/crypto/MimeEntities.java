package org.sealgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimePart;
import javax.mail.util.SharedByteArrayInputStream;

/**
 * Byte-level MIME handling. Signatures and "attachments stay byte-identical" both depend on exact bytes, so entities
 * are cut and joined as bytes here instead of being rebuilt through JavaMail's object model. Header bytes are kept
 * as ISO-8859-1 strings, which round-trips every octet (also UTF-8 headers, RFC 6532).
 */
final class MimeEntities {
    static final String CRLF = "\r\n";
    private static final Session SESSION = Session.getInstance(new Properties());

    private MimeEntities() {
    }

    /** A message or entity split into its raw header lines (folding kept) and its raw body. */
    record Entity(List<String> headerLines, byte[] body) {

        static Entity parse(byte[] bytes) {
            int bodyStart = bodyStart(bytes);
            // No empty line at all: everything is header (an entity with an empty body).
            int headerEnd = bodyStart > bytes.length ? bytes.length : headerEnd(bytes, bodyStart);
            String headerBlock = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1).stripTrailing();
            byte[] body = bodyStart >= bytes.length ? new byte[0] : java.util.Arrays.copyOfRange(bytes, bodyStart, bytes.length);
            return new Entity(splitHeaderLines(headerBlock), body);
        }

        List<String> contentHeaderLines() {
            return headerLines.stream().filter(MimeEntities::isContentHeader).toList();
        }

        List<String> nonContentHeaderLines() {
            return headerLines.stream().filter(line -> !isContentHeader(line)).toList();
        }

        /** Header lines + empty line + body, CRLF separated. */
        byte[] toBytes() {
            return join(headerLines, body);
        }
    }

    static byte[] serialize(MimePart part) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        part.writeTo(out);
        return out.toByteArray();
    }

    /** The still transfer-encoded body of a part, as received. */
    static byte[] rawBody(MimePart part) throws MessagingException, IOException {
        try {
            InputStream raw = part instanceof MimeMessage message ? message.getRawInputStream()
                    : ((javax.mail.internet.MimeBodyPart) part).getRawInputStream();
            try (raw) {
                return readAll(raw);
            }
        } catch (MessagingException | ClassCastException e) {
            // A part built in memory has no raw stream yet: serialise it and cut off the headers.
            return Entity.parse(serialize(part)).body();
        }
    }

    /**
     * Reads a stream to its end with plain read(buf, 0, len) calls: JavaMail 1.6's BASE64DecoderStream returns
     * early end-of-stream when read at a non-zero offset, which InputStream#readAllBytes does.
     */
    static byte[] readAll(InputStream in) throws IOException {
        // Sized by what the stream says it holds (a stored message's stream knows): no repeated doubling and copying.
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(8192, Math.min(in.available(), 64 << 20) + 1));
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) != -1) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    static byte[] join(List<String> headerLines, byte[] body) {
        return join(headerLines, ByteSlice.of(body));
    }

    /** Into one array of the exact size: a growing buffer and its copy were two more copies of the body. */
    static byte[] join(List<String> headerLines, ByteSlice body) {
        return join(headerLines, body.length(), (out, at) -> System.arraycopy(body.bytes(), body.from(), out, at, body.length()));
    }

    /** Writes a body of a known length straight into the message's array (an armored payload, say). */
    interface BodyWriter {
        void writeInto(byte[] out, int at);
    }

    static byte[] join(List<String> headerLines, int bodyLength, BodyWriter body) {
        List<byte[]> lines = new ArrayList<>(headerLines.size());
        int size = 2 + bodyLength;
        for (String line : headerLines) {
            byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
            lines.add(bytes);
            size += bytes.length + 2;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] line : lines) {
            System.arraycopy(line, 0, out, at, line.length);
            at += line.length;
            out[at++] = '\r';
            out[at++] = '\n';
        }
        out[at++] = '\r';
        out[at++] = '\n';
        body.writeInto(out, at);
        return out;
    }

    static MimeMessage message(byte[] bytes) throws MessagingException {
        // A shared stream: the message keeps these bytes as its content instead of copying them once more.
        return new IdentityKeepingMessage(new SharedByteArrayInputStream(bytes));
    }

    /**
     * A message that keeps its Message-ID when saved: every message the facade returns is the same mail in
     * another form, and JavaMail would otherwise mint a new id on the first header change.
     */
    private static final class IdentityKeepingMessage extends MimeMessage {
        IdentityKeepingMessage(InputStream in) throws MessagingException {
            super(SESSION, in);
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (getHeader("Message-ID") == null) {
                super.updateMessageID();
            }
        }

        /** True once the body was replaced through JavaMail's object model (setContent, setText, setDataHandler). */
        private boolean bodyReplaced;

        @Override
        public synchronized void setDataHandler(DataHandler handler) throws MessagingException {
            bodyReplaced = true;
            super.setDataHandler(handler);
        }

        /**
         * A header change on a body still as parsed (the mailets' tags and markers on a decrypted or unwrapped mail)
         * saves only the message-level headers. JavaMail would parse the whole multipart tree here (a fresh copy it
         * then throws away: its parts, unchanged, keep their headers) — 5 % of an inbound node's CPU. A body changed
         * through the object model (replaced, or its cached multipart handed out by getContent) is saved as before.
         */
        @Override
        protected synchronized void updateHeaders() throws MessagingException {
            if (bodyReplaced || cachedContent != null) {
                super.updateHeaders();
                return;
            }
            setHeader("MIME-Version", "1.0");
            if (getHeader("Date") == null) {
                setSentDate(new java.util.Date());
            }
            updateMessageID();
        }
    }

    /**
     * A message made of the original's non-content headers (minus those the new content redefines) and a new
     * content entity (its own header lines + body).
     */
    static MimeMessage withNewContent(List<String> outerNonContentLines, Entity content) throws MessagingException {
        return withNewContent(outerNonContentLines, content.headerLines(), ByteSlice.of(content.body()));
    }

    static MimeMessage withNewContent(List<String> outerNonContentLines, List<String> contentHeaderLines, ByteSlice body)
            throws MessagingException {
        return withNewContent(outerNonContentLines, contentHeaderLines, body.length(),
            (out, at) -> System.arraycopy(body.bytes(), body.from(), out, at, body.length()));
    }

    static MimeMessage withNewContent(List<String> outerNonContentLines, List<String> contentHeaderLines, int bodyLength,
                                      BodyWriter body) throws MessagingException {
        return message(join(headerLinesWithNewContent(outerNonContentLines, contentHeaderLines), bodyLength, body));
    }

    /** The header lines of {@link #withNewContent}: the outer lines the content does not redefine, then the content's. */
    static List<String> headerLinesWithNewContent(List<String> outerNonContentLines, List<String> contentLines) {
        Set<String> redefined = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        contentLines.forEach(line -> redefined.add(headerName(line)));
        List<String> lines = new ArrayList<>();
        boolean hasMimeVersion = false;
        for (String line : outerNonContentLines) {
            String name = headerName(line);
            if (redefined.contains(name)) {
                continue;
            }
            hasMimeVersion |= name.equalsIgnoreCase("MIME-Version");
            lines.add(line);
        }
        if (!hasMimeVersion && !redefined.contains("MIME-Version")) {
            lines.add("MIME-Version: 1.0");
        }
        lines.addAll(contentLines);
        return lines;
    }

    static boolean isContentHeader(String line) {
        return headerName(line).toLowerCase(Locale.ROOT).startsWith("content-");
    }

    static String headerName(String line) {
        int colon = line.indexOf(':');
        return (colon < 0 ? line : line.substring(0, colon)).trim();
    }

    /** True when the bytes start with something that looks like a header field ("Name: value"), not plain text. */
    static boolean startsWithHeaderBlock(byte[] bytes) {
        return startsWithHeaderBlock(bytes, 0, bytes.length);
    }

    private static boolean startsWithHeaderBlock(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to && isFieldNameChar(bytes[i])) {
            i++;
        }
        if (i == from || i >= to || bytes[i] != ':') {
            return false;
        }
        // The block must end with an empty line, else it is text that happens to contain a colon.
        return bodyStart(bytes, from, to) <= to;
    }

    private static boolean isFieldNameChar(byte b) {
        return b > 32 && b < 127 && b != ':';
    }

    /** Bare LF becomes CRLF (RFC 8551 §3.1.1 canonical form); existing CRLF stays. */
    static byte[] canonicalLineEndings(byte[] bytes) {
        int bareLineFeeds = 0;
        for (int i = LineBytes.indexOfLineFeed(bytes, 0, bytes.length); i >= 0;
                i = LineBytes.indexOfLineFeed(bytes, i + 1, bytes.length)) {
            if (i == 0 || bytes[i - 1] != '\r') {
                bareLineFeeds++;
            }
        }
        if (bareLineFeeds == 0) {
            return bytes;
        }
        // Plain array copy: ByteArrayOutputStream.write(int) is synchronized, once per byte of the mail.
        byte[] out = new byte[bytes.length + bareLineFeeds];
        int o = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) {
                out[o++] = '\r';
            }
            out[o++] = bytes[i];
        }
        return out;
    }

    /** Index of the first body byte: after the first empty line (CRLF CRLF or LF LF). */
    private static int bodyStart(byte[] bytes) {
        return bodyStart(bytes, 0, bytes.length);
    }

    /** As {@link #bodyStart(byte[])} within {@code bytes[from, to)}: an index into bytes, {@code to + 1} if none. */
    private static int bodyStart(byte[] bytes, int from, int to) {
        if (to > from && bytes[from] == '\n') {
            return from + 1;
        }
        if (to - from > 1 && bytes[from] == '\r' && bytes[from + 1] == '\n') {
            return from + 2;
        }
        for (int i = from; i < to - 1; i++) {
            if (bytes[i] == '\n') {
                if (bytes[i + 1] == '\n') {
                    return i + 2;
                }
                if (bytes[i + 1] == '\r' && i + 2 < to && bytes[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return to + 1;
    }

    /** End of the header block (exclusive, without the line break that ends the last header), or -1 if none. */
    private static int headerEnd(byte[] bytes, int bodyStart) {
        return bodyStart > bytes.length ? -1 : headerEnd(bytes, 0, bodyStart);
    }

    private static int headerEnd(byte[] bytes, int from, int bodyStart) {
        int end = bodyStart;
        // strip the empty line and the line break of the last header line
        for (int stripped = 0; stripped < 2 && end > from; stripped++) {
            if (bytes[end - 1] == '\n') {
                end--;
                if (end > from && bytes[end - 1] == '\r') {
                    end--;
                }
            }
        }
        return end;
    }

    private static List<String> splitHeaderLines(String block) {
        List<String> lines = new ArrayList<>();
        if (block.isEmpty()) {
            return lines;
        }
        StringBuilder current = null;
        for (String physical : block.split("\r?\n", -1)) {
            boolean continuation = !physical.isEmpty() && (physical.charAt(0) == ' ' || physical.charAt(0) == '\t');
            if (continuation && current != null) {
                current.append(CRLF).append(physical);
            } else {
                if (current != null) {
                    lines.add(current.toString());
                }
                current = new StringBuilder(physical);
            }
        }
        if (current != null) {
            lines.add(current.toString());
        }
        return lines;
    }

    /**
     * Outer non-content headers + an unwrapped inner entity (decrypted or encapsulated) byte-for-byte. Content that
     * has no header block (some implementations encapsulate bare text) is wrapped as text/plain.
     */
    static MimeMessage withInnerEntity(MimeMessage original, byte[] inner) throws CryptoException {
        return withInnerEntity(original, ByteSlice.of(inner));
    }

    /** As {@link #withInnerEntity(MimeMessage, byte[])}, the inner entity read where it lies and copied once. */
    static MimeMessage withInnerEntity(MimeMessage original, ByteSlice inner) throws CryptoException {
        try {
            byte[] bytes = inner.bytes();
            boolean hasHeaders = startsWithHeaderBlock(bytes, inner.from(), inner.to());
            // Decrypted or encapsulated content never passed the check at the door: check it before JavaMail walks it.
            MimeLimits limits = MimeLimits.forUnwrappedContent();
            if (inner.length() > limits.maxUnwrappedBytes()) {
                throw new MimeLimitException("content of " + inner.length() + " bytes exceeds the limit of " + limits.maxUnwrappedBytes());
            }
            if (hasHeaders) {
                // MimeLimits.check on the range (without copying it out).
                try (MimeStructureScanner scanner = new MimeStructureScanner(limits)) {
                    scanner.write(bytes, inner.from(), inner.length());
                }
            }
            List<String> headerLines;
            int bodyFrom;
            if (hasHeaders) {
                int bodyStart = bodyStart(bytes, inner.from(), inner.to());
                headerLines = splitHeaderLines(new String(bytes, inner.from(), headerEnd(bytes, inner.from(), bodyStart) - inner.from(),
                        StandardCharsets.ISO_8859_1).stripTrailing());
                bodyFrom = Math.min(bodyStart, inner.to());
            } else {
                // Looked at only here: a pass over every byte of each decrypted mail (3 % of the spooler at 1 MB).
                boolean ascii = isAscii(bytes, inner.from(), inner.to());
                headerLines = List.of("Content-Type: text/plain; charset=" + (ascii ? "us-ascii" : "utf-8"),
                        "Content-Transfer-Encoding: " + (ascii ? "7bit" : "8bit"));
                bodyFrom = inner.from();
            }
            // Only the header-protection set (RFC 9788) and content headers inside replace the outer ones: trace,
            // authentication and our own marker fields never come from inside (see HeaderProtection).
            List<String> trusted = headerLines.stream().filter(HeaderProtection::replaceableFromInside).toList();
            List<String> outerLines = outerHeaderLines(original).stream().filter(line -> !isContentHeader(line)).toList();
            if (HeaderProtection.carriesProtectedFields(headerLines)) {
                outerLines = outerLines.stream().filter(line ->
                        !HeaderProtection.ONLY_FROM_INSIDE.contains(headerName(line).toLowerCase(Locale.ROOT))).toList();
            }
            return withNewContent(outerLines, trusted, new ByteSlice(bytes, bodyFrom, inner.to()));
        } catch (MimeLimitException e) {
            throw new CryptoException("the unwrapped content exceeds a limit: " + e.getMessage(), e);
        } catch (MessagingException | IOException e) {
            throw new CryptoException("the unwrapped content is not a readable MIME entity: " + e.getMessage(), e);
        }
    }

    /**
     * The original's header lines as writeTo writes them (folding kept). A parsed message, as James hands over, gives
     * them directly: serialising it copied the whole encrypted body just to read its headers. A message built in
     * memory has no stored content yet and is serialised as before (writeTo completes its headers first).
     */
    static List<String> outerHeaderLines(MimeMessage original) throws MessagingException, IOException {
        try (InputStream stored = original.getRawInputStream()) {
            return Collections.list(original.getAllHeaderLines());
        } catch (MessagingException e) {
            return Entity.parse(serialize(original)).headerLines();
        }
    }

    private static boolean isAscii(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
