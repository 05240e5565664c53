package org.sealgate.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The entity that gets signed or encrypted: a new header block (a few hundred bytes) followed by the original body
 * read where it lies in the serialised message ({@link SerializedMessage}), never joined into a copy unless its bytes
 * must change. {@link #scan} makes the one pass over it that answers all the questions signing and encrypting ask
 * (8-bit octets or NUL, lines over 998 octets, a {@code Content-Transfer-Encoding: binary} line, bare line feeds);
 * they were three and two separate passes over a joined copy.
 */
final class OutgoingEntity {
    private static final int MAX_LINE = 998;
    private static final byte[] NONE = new byte[0];

    private final byte[] head;
    private final byte[] body;
    private final int offset;
    private final int bodyLength;

    private OutgoingEntity(byte[] head, byte[] body, int offset, int bodyLength) {
        this.head = head;
        this.body = body;
        this.offset = offset;
        this.bodyLength = bodyLength;
    }

    /** Header lines + empty line + the message's body, as {@link MimeEntities#join} would give them. */
    static OutgoingEntity of(List<String> headerLines, SerializedMessage message) {
        return new OutgoingEntity(MimeEntities.join(headerLines, NONE), message.array(), message.bodyOffset(),
            message.bodyLength());
    }

    /** An entity already held in one array. */
    static OutgoingEntity whole(byte[] entity) {
        return whole(entity, entity.length);
    }

    /** An entity held in the first {@code length} bytes of an array. */
    static OutgoingEntity whole(byte[] entity, int length) {
        return new OutgoingEntity(NONE, entity, 0, length);
    }

    int length() {
        return head.length + bodyLength;
    }

    /** What one pass over the entity found. */
    record Scan(boolean eightBitOrNul, boolean longLine, boolean declaresBinary, int bareLineFeeds) {
        /** As {@link TransferEncodings#needsSevenBitConversion}. */
        boolean needsSevenBitConversion() {
            return eightBitOrNul || longLine;
        }
    }

    /**
     * One pass over header block and body. A line never spans the two (the header block ends with its empty line),
     * and, as in the joined entity, a line feed at the very start or right after the header block counts as bare.
     */
    Scan scan() {
        Scanner scanner = new Scanner();
        scanner.scan(head, 0, head.length);
        scanner.scan(body, offset, offset + bodyLength);
        return new Scan(scanner.eightBitOrNul, scanner.longLine, scanner.declaresBinary, scanner.bareLineFeeds);
    }

    /** The entity in one new array (for the rare entities whose bytes change: 7-bit conversion). */
    byte[] toArray() {
        byte[] out = new byte[length()];
        copyInto(out, 0);
        return out;
    }

    /** A copy with every bare LF turned into CRLF ({@link MimeEntities#canonicalLineEndings}), made in one pass. */
    OutgoingEntity withCanonicalLineEndings(int bareLineFeeds) {
        if (bareLineFeeds == 0) {
            return this;
        }
        byte[] out = new byte[length() + bareLineFeeds];
        int p = canonicalCopy(head, 0, head.length, out, 0);
        p = canonicalCopy(body, offset, offset + bodyLength, out, p);
        if (p != out.length) {
            throw new IllegalStateException("line ending count mismatch: " + p + " of " + out.length);
        }
        return whole(out);
    }

    private static int canonicalCopy(byte[] in, int from, int to, byte[] out, int p) {
        int run = from;
        for (int i = from; i < to; i++) {
            if (in[i] == '\n' && (i == from || in[i - 1] != '\r')) {
                System.arraycopy(in, run, out, p, i - run);
                p += i - run;
                out[p++] = '\r';
                run = i;
            }
        }
        System.arraycopy(in, run, out, p, to - run);
        return p + to - run;
    }

    /** Copies the entity into {@code out} at {@code p}; returns the position after it. */
    int copyInto(byte[] out, int p) {
        System.arraycopy(head, 0, out, p, head.length);
        System.arraycopy(body, offset, out, p + head.length, bodyLength);
        return p + head.length + bodyLength;
    }

    /** Writes the entity in pieces of at most {@code piece} bytes (see {@link ChunkedContent} for why pieces). */
    void writeTo(OutputStream out, int piece) throws IOException {
        writePieces(out, head, 0, head.length, piece);
        writePieces(out, body, offset, bodyLength, piece);
    }

    private static void writePieces(OutputStream out, byte[] bytes, int from, int length, int piece) throws IOException {
        for (int done = 0; done < length; done += piece) {
            out.write(bytes, from + done, Math.min(piece, length - done));
        }
    }

    /** Encrypts the entity into {@code out} at {@code p} through {@link AuthEnvelopedWriter#update}; returns bytes written. */
    int encryptInto(javax.crypto.Cipher cipher, byte[] out, int p) throws java.security.GeneralSecurityException {
        int piece = AuthEnvelopedWriter.PIECE;
        int lead = head.length == 0 ? 0 : Math.min(bodyLength, (piece - head.length % piece) % piece);
        int written = 0;
        if (head.length > 0) {
            // The header block and the body's first bytes together, so every later piece starts on a GCM block: a
            // cipher holding back a partial block between calls takes the JDK's slower, unaligned path.
            byte[] first = java.util.Arrays.copyOf(head, head.length + lead);
            System.arraycopy(body, offset, first, head.length, lead);
            written = AuthEnvelopedWriter.update(cipher, first, 0, first.length, out, p);
        }
        return written + AuthEnvelopedWriter.update(cipher, body, offset + lead, bodyLength - lead, out, p + written);
    }

    /** The per-line state of {@link #scan}, carried from the header block into the body. */
    private static final class Scanner {
        boolean eightBitOrNul;
        boolean longLine;
        boolean declaresBinary;
        int bareLineFeeds;

        void scan(byte[] a, int from, int to) {
            int lineStart = from;
            while (lineStart < to) {
                if (!declaresBinary && (a[lineStart] | 0x20) == 'c') {
                    declaresBinary = TransferEncodings.isBinaryCteLine(a, lineStart, to);
                }
                int i = lineStart;
                boolean wide = false;
                while (i < to) {
                    byte b = a[i];
                    if (b == '\n') {
                        break;
                    }
                    wide |= b <= 0;
                    i++;
                }
                eightBitOrNul |= wide;
                if (i - lineStart > MAX_LINE) {
                    longLine = true;
                }
                if (i < to && (i == from || a[i - 1] != '\r')) {
                    bareLineFeeds++;
                }
                lineStart = i + 1;
            }
        }
    }
}
