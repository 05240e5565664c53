package org.sealgate.crypto;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.mail.internet.ContentType;
import javax.mail.internet.ParseException;

/**
 * Checks a mail's structure against {@link MimeLimits} as its raw bytes stream through, line by line, with a
 * stack of open boundaries instead of recursion: memory is bounded by the limits, not by the mail. Write the
 * whole entity, then {@link #close()}; the first limit passed throws {@link MimeLimitException} from the write.
 *
 * <p>It follows JavaMail's reading where it matters (first Content-Type wins, a boundary line ends any part it
 * belongs to, nested ones included) and refuses what JavaMail would have to guess at: a multipart without a
 * boundary, and multipart or message/rfc822 content under a transfer encoding (RFC 2045 §6.4 forbids both; JavaMail
 * would decode and parse what this scan cannot see).
 *
 * <p>Only header lines and body lines starting with {@code -} (possible boundaries) are looked at; every other body
 * line is passed over to its line feed without being stored, so the cost per body byte is one comparison.
 */
public final class MimeStructureScanner extends OutputStream {
    private static final int COLLECTED_VALUE_MAX = 64 * 1024;

    private final MimeLimits limits;
    /** One per open multipart ("--" + boundary), or null for an embedded message; innermost last. */
    private final List<byte[]> open = new ArrayList<>();
    private final byte[] line;
    private int lineLength;
    private boolean tailBlank = true;
    /** Inside a body line that cannot matter (see {@link #write(byte[], int, int)}): read on to its end unstored. */
    private boolean skipping;
    private boolean inHeaders = true;
    private int headers;
    private int parts = 1;
    private StringBuilder contentType;
    private StringBuilder transferEncoding;
    private StringBuilder collecting;
    private boolean closed;

    public MimeStructureScanner(MimeLimits limits) {
        this.limits = limits;
        this.line = new byte[limits.maxHeaderLineLength() + 2];
    }

    @Override
    public void write(int b) throws MimeLimitException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws MimeLimitException {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (skipping || (lineLength == 0 && !inHeaders && bytes[i] != '-')) {
                // A body line that does not start with "-" can be no boundary and no header: only its end matters.
                int lineEnd = LineBytes.indexOfLineFeed(bytes, i, end);
                skipping = lineEnd < 0;
                if (skipping) {
                    return;
                }
                i = lineEnd;
                continue;
            }
            byte b = bytes[i];
            if (b == '\n') {
                endOfLine();
                continue;
            }
            if (lineLength < line.length) {
                line[lineLength] = b;
            } else if (b != ' ' && b != '\t' && b != '\r') {
                tailBlank = false;
            }
            lineLength++;
            if (inHeaders && lineLength > limits.maxHeaderLineLength() + 1) {
                throw new MimeLimitException("a header line is longer than " + limits.maxHeaderLineLength() + " octets");
            }
        }
    }

    @Override
    public void close() throws MimeLimitException {
        if (!closed) {
            closed = true;
            if (lineLength > 0) {
                endOfLine();
            }
        }
    }

    /**
     * True once nothing that follows can change the verdict: the header blocks are over and no multipart is open
     * whose boundary could still come (e.g. after the headers of a single-part mail, or after the outermost closing
     * delimiter). A caller reading the entity from a stream may stop there (and then {@link #close()}).
     */
    public boolean settled() {
        if (inHeaders) {
            return false;
        }
        for (byte[] delimiter : open) {
            if (delimiter != null) {
                return false;
            }
        }
        return true;
    }

    /** Body parts seen so far (the top-level entity counts as one). */
    public int parts() {
        return parts;
    }

    private void endOfLine() throws MimeLimitException {
        int length = lineLength;
        if (length > 0 && length <= line.length && line[length - 1] == '\r') {
            length--;
        }
        int kept = Math.min(length, line.length);
        try {
            if (kept >= 2 && line[0] == '-' && line[1] == '-' && boundary(kept, length)) {
                return;
            }
            if (inHeaders) {
                headerLine(kept, length);
            }
        } finally {
            lineLength = 0;
            tailBlank = true;
        }
    }

    private boolean boundary(int kept, int length) throws MimeLimitException {
        for (int level = open.size() - 1; level >= 0; level--) {
            byte[] delimiter = open.get(level);
            if (delimiter == null || kept < delimiter.length || !LineBytes.startsWith(line, delimiter)) {
                continue;
            }
            boolean close = kept >= delimiter.length + 2 && line[delimiter.length] == '-' && line[delimiter.length + 1] == '-';
            if (!close && !(LineBytes.blank(line, delimiter.length, kept) && (length == kept || tailBlank))) {
                continue;
            }
            // A boundary ends every part opened inside it.
            open.subList(level + 1, open.size()).clear();
            resetHeaders();
            if (close) {
                open.remove(level);
                inHeaders = false;
            } else {
                countPart();
                inHeaders = true;
            }
            return true;
        }
        return false;
    }

    private void headerLine(int kept, int length) throws MimeLimitException {
        if (length == 0) {
            endOfHeaders();
            return;
        }
        String text = new String(line, 0, kept, StandardCharsets.ISO_8859_1);
        if (line[0] == ' ' || line[0] == '\t') {
            append(text);
            return;
        }
        if (++headers > limits.maxHeaders()) {
            throw new MimeLimitException("more than " + limits.maxHeaders() + " header fields in one header block");
        }
        int colon = text.indexOf(':');
        String name = colon < 0 ? "" : text.substring(0, colon).trim();
        collecting = null;
        if (name.equalsIgnoreCase("Content-Type") && contentType == null) {
            contentType = collecting = new StringBuilder();
        } else if (name.equalsIgnoreCase("Content-Transfer-Encoding") && transferEncoding == null) {
            transferEncoding = collecting = new StringBuilder();
        }
        if (collecting != null) {
            append(text.substring(colon + 1));
        }
    }

    private void append(String text) {
        if (collecting != null && collecting.length() + text.length() <= COLLECTED_VALUE_MAX) {
            collecting.append(text);
        }
    }

    private void endOfHeaders() throws MimeLimitException {
        String type = contentType == null ? "text/plain" : contentType.toString().trim();
        String lowerType = type.toLowerCase(Locale.ROOT);
        String encoding = transferEncoding == null ? "7bit" : transferEncoding.toString().trim().toLowerCase(Locale.ROOT);
        boolean identity = encoding.isEmpty() || encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary");
        resetHeaders();
        inHeaders = false;
        if (lowerType.startsWith("multipart/")) {
            if (!identity) {
                throw new MimeLimitException("multipart content under Content-Transfer-Encoding " + encoding + " (RFC 2045 §6.4)");
            }
            String boundary;
            try {
                boundary = new ContentType(type).getParameter("boundary");
            } catch (ParseException e) {
                boundary = null;
            }
            if (boundary == null || boundary.isEmpty()) {
                throw new MimeLimitException("a multipart without a readable boundary");
            }
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            if (delimiter.length > line.length - 2) {
                throw new MimeLimitException("a multipart boundary longer than a header line may be");
            }
            push(delimiter);
        } else if (lowerType.startsWith("message/rfc822")) {
            if (!identity) {
                throw new MimeLimitException("an embedded message under Content-Transfer-Encoding " + encoding + " (RFC 2046 §5.2.1)");
            }
            push(null);
            countPart();
            inHeaders = true;
        }
    }

    private void push(byte[] delimiter) throws MimeLimitException {
        if (open.size() >= limits.maxDepth()) {
            throw new MimeLimitException("MIME nesting deeper than " + limits.maxDepth() + " levels");
        }
        open.add(delimiter);
    }

    private void countPart() throws MimeLimitException {
        if (++parts > limits.maxParts()) {
            throw new MimeLimitException("more than " + limits.maxParts() + " MIME parts");
        }
    }

    private void resetHeaders() {
        headers = 0;
        contentType = null;
        transferEncoding = null;
        collecting = null;
    }
}
