package org.sealgate.crypto;

import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.mail.internet.ContentType;
import javax.mail.internet.ParseException;

/**
 * {@link NestedEncryption}'s search done on the raw bytes of a multipart body as they stream through, instead of
 * JavaMail's parse of the tree (which also decoded every text part into a String). Only header lines, possible
 * boundary lines and the bytes of identity-encoded text parts are looked at.
 *
 * <p>It answers only where its reading is certainly JavaMail's: anything JavaMail would decode, guess at or fail on
 * (a text part under a transfer encoding or in a charset that is not ASCII-compatible, a text part near the size
 * limit (one clearly over it is skipped, as the walk skips it), a multipart without a boundary or without its first
 * delimiter, nesting at the depth limit, an over-long header line, multipart/digest) makes it
 * {@link #undecided() undecided}, and the caller walks the tree as before.
 */
final class NestedEncryptionScan extends OutputStream {
    private static final byte[] ARMOR = PgpMime.BEGIN_MESSAGE.getBytes(StandardCharsets.US_ASCII);
    private static final int[] ARMOR_FAIL = failureFunction(ARMOR);
    private static final int LINE_MAX = 8192;
    private static final int COLLECTED_VALUE_MAX = 64 * 1024;
    /** Text parts this close to the walk's size limit are left to the walk (its size excludes the last line end). */
    private static final long TEXT_SIZE_LIMIT = NestedEncryption.MAX_TEXT_BYTES - 4L;
    /**
     * From this count on, a text part is certainly over the walk's size limit, which then does not read it: the
     * count takes in the line end before the delimiter and the delimiter line itself (at most {@link #LINE_MAX}).
     */
    private static final long TEXT_SKIPPED_BY_WALK = NestedEncryption.MAX_TEXT_BYTES + LINE_MAX + 8L;

    /** An open multipart: its delimiter ("--" + boundary), its depth, whether a delimiter line has been seen. */
    private static final class Frame {
        final byte[] delimiter;
        final int depth;
        boolean started;

        Frame(byte[] delimiter, int depth) {
            this.delimiter = delimiter;
            this.depth = depth;
        }
    }

    private enum Body { SKIP, TEXT }

    private final List<Frame> open = new ArrayList<>();
    private final byte[] line = new byte[LINE_MAX];
    private int lineLength;
    private boolean skipping;
    private boolean inHeaders;
    private Body body = Body.SKIP;
    private long textSize;
    private int armorMatched;
    private boolean armorSeen;
    private boolean armorInLine;
    private String textType;
    private StringBuilder contentType;
    private StringBuilder transferEncoding;
    private StringBuilder collecting;
    private String found;
    private boolean undecided;

    /** A scan of a multipart body whose (top-level) Content-Type is {@code type}, identity-encoded. */
    NestedEncryptionScan(String type) {
        try {
            multipart(new ContentType(type), 0);
        } catch (ParseException e) {
            undecided = true;
        }
    }

    /** True once the answer is known (found, or cannot be given here): the rest need not be written. */
    boolean settled() {
        return found != null || undecided;
    }

    boolean undecided() {
        return undecided;
    }

    /** What {@link NestedEncryption#find} answers, once the body has been written and the scan closed. */
    Optional<String> result() {
        return Optional.ofNullable(found);
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (settled()) {
                return;
            }
            if (body == Body.TEXT && skipping && armorMatched == 0) {
                // Inside a text line with no armor begun: only a "-" (armor) or the line feed can matter.
                int next = LineBytes.indexOfDashOrLineFeed(bytes, i, end);
                textSize += next - i;
                i = next;
                if (i == end) {
                    return;
                }
            }
            byte b = bytes[i];
            if (body == Body.TEXT) {
                armor(b);
                textSize++;
            }
            if (skipping || (lineLength == 0 && !inHeaders && b != '-')) {
                // A body line not starting with "-" is no boundary: only its end matters (and a text part's bytes).
                if (body == Body.TEXT) {
                    skipping = b != '\n';
                    if (!skipping) {
                        commitArmor();
                    }
                    continue;
                }
                int lineEnd = LineBytes.indexOfLineFeed(bytes, i, end);
                skipping = lineEnd < 0;
                if (skipping) {
                    return;
                }
                i = lineEnd;
                continue;
            }
            if (b == '\n') {
                endOfLine();
                continue;
            }
            if (lineLength < line.length) {
                line[lineLength] = b;
            } else if (inHeaders) {
                undecided = true;
                return;
            }
            lineLength++;
        }
    }

    @Override
    public void close() {
        if (lineLength > 0 && !settled()) {
            endOfLine();
        }
        commitArmor();
        if (!settled()) {
            endOfPart();
            for (Frame frame : open) {
                if (!frame.started) {
                    undecided = true;
                }
            }
        }
    }

    private void armor(byte b) {
        int matched = armorMatched;
        while (matched > 0 && ARMOR[matched] != b) {
            matched = ARMOR_FAIL[matched - 1];
        }
        if (ARMOR[matched] == b) {
            matched++;
        }
        if (matched == ARMOR.length) {
            armorInLine = true;
            matched = ARMOR_FAIL[matched - 1];
        }
        armorMatched = matched;
    }

    /** Armor matched on a line counts once the line is known to be content, not a delimiter. */
    private void commitArmor() {
        armorSeen |= armorInLine;
        armorInLine = false;
    }

    private void endOfLine() {
        int length = lineLength;
        lineLength = 0;
        if (length > line.length) {
            // A long body line: no boundary (delimiters fit the buffer, see multipart()).
            commitArmor();
            return;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (length >= 2 && line[0] == '-' && line[1] == '-' && boundary(length)) {
            armorInLine = false;
            return;
        }
        commitArmor();
        if (inHeaders) {
            headerLine(length);
        }
    }

    private boolean boundary(int length) {
        for (int level = open.size() - 1; level >= 0; level--) {
            Frame frame = open.get(level);
            byte[] delimiter = frame.delimiter;
            if (length < delimiter.length || !LineBytes.startsWith(line, delimiter)) {
                continue;
            }
            boolean close = length >= delimiter.length + 2 && line[delimiter.length] == '-' && line[delimiter.length + 1] == '-';
            if (!close && !LineBytes.blank(line, delimiter.length, length)) {
                continue;
            }
            if ((!frame.started && close) || inHeaders) {
                // A multipart that closes before it opens, a delimiter inside a header block: JavaMail's reading
                // of these is its own, leave them to the walk.
                undecided = true;
                return true;
            }
            endOfPart();
            // A boundary ends every part opened inside it (one never opened: JavaMail fails on it, the walk decides).
            List<Frame> inner = open.subList(level + 1, open.size());
            for (Frame nested : inner) {
                if (!nested.started) {
                    undecided = true;
                }
            }
            inner.clear();
            frame.started = true;
            resetHeaders();
            if (close) {
                open.remove(level);
                inHeaders = false;
            } else {
                inHeaders = true;
            }
            body = Body.SKIP;
            return true;
        }
        return false;
    }

    /**
     * A text part ends: the armor counts if the part is small enough for the walk to have read it. One clearly too
     * large for the walk holds nothing for it either; leaving such mail to the walk re-parsed every large text mail
     * with JavaMail (a tenth of a 1 MB inbound S/MIME mail's time in the spooler).
     */
    private void endOfPart() {
        if (body == Body.TEXT && textSize <= TEXT_SKIPPED_BY_WALK) {
            if (textSize > TEXT_SIZE_LIMIT) {
                undecided = true;
            } else if (armorSeen) {
                found = "an armored OpenPGP message in a " + textType + " part";
            }
        }
        body = Body.SKIP;
        armorSeen = false;
        armorInLine = false;
        armorMatched = 0;
        textSize = 0;
    }

    private void headerLine(int length) {
        if (length == 0) {
            endOfHeaders();
            return;
        }
        String text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
        if (line[0] == ' ' || line[0] == '\t') {
            append(text);
            return;
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
        if (collecting == null) {
            return;
        }
        if (collecting.length() + text.length() > COLLECTED_VALUE_MAX) {
            undecided = true;
            return;
        }
        collecting.append(text);
    }

    /** A child part's headers are over: judge it as {@code NestedEncryption.encryptedKind} does, then its body. */
    private void endOfHeaders() {
        inHeaders = false;
        String header = contentType == null ? "text/plain" : contentType.toString().trim();
        String encoding = transferEncoding == null ? "" : transferEncoding.toString().trim().toLowerCase(Locale.ROOT);
        boolean identity = encoding.isEmpty() || encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary");
        int depth = open.isEmpty() ? 0 : open.get(open.size() - 1).depth;
        resetHeaders();
        ContentType type;
        try {
            type = new ContentType(header);
        } catch (ParseException e) {
            // The walk skips a part whose type it cannot read; its body may still hold a delimiter of ours.
            return;
        }
        if (type.match("multipart/encrypted")) {
            found = "a multipart/encrypted part";
        } else if (type.match("application/pkcs7-mime") || type.match("application/x-pkcs7-mime")) {
            String smimeType = type.getParameter("smime-type");
            if (smimeType == null || smimeType.equalsIgnoreCase("enveloped-data") || smimeType.equalsIgnoreCase("authEnveloped-data")) {
                found = "an S/MIME encrypted part";
            }
        } else if (type.match("text/*")) {
            if (!identity || !asciiCompatible(type.getParameter("charset"))) {
                undecided = true;
                return;
            }
            body = Body.TEXT;
            textType = type.getBaseType();
            textSize = 0;
        } else if (type.match("multipart/*")) {
            if (!identity) {
                undecided = true;
                return;
            }
            multipart(type, depth + 1);
        }
    }

    private void multipart(ContentType type, int depth) {
        String boundary = type.getParameter("boundary");
        if (depth >= NestedEncryption.MAX_DEPTH || type.match("multipart/digest") || boundary == null || boundary.isEmpty()) {
            undecided = true;
            return;
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        if (delimiter.length > LINE_MAX - 4) {
            undecided = true;
            return;
        }
        open.add(new Frame(delimiter, depth));
    }

    /** As {@code PgpMime.charset} reads it: ASCII bytes are the same characters. */
    private static boolean asciiCompatible(String name) {
        if (name == null) {
            return true;
        }
        Charset charset;
        try {
            charset = Charset.forName(name);
        } catch (RuntimeException e) {
            return true;
        }
        String canonical = charset.name().toUpperCase(Locale.ROOT);
        return canonical.equals("US-ASCII") || canonical.equals("UTF-8") || canonical.startsWith("ISO-8859-")
            || canonical.startsWith("WINDOWS-125");
    }

    private void resetHeaders() {
        contentType = null;
        transferEncoding = null;
        collecting = null;
    }

    private static int[] failureFunction(byte[] pattern) {
        int[] fail = new int[pattern.length];
        for (int i = 1, k = 0; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = fail[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            fail[i] = k;
        }
        return fail;
    }
}
