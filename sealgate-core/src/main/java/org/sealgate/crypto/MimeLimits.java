package org.sealgate.crypto;

import java.util.Objects;

/**
 * How much structure one mail may have before anything parses it: nesting depth of multiparts and embedded
 * messages, number of body parts, header fields per header block, length of a header line, and the size that
 * decrypted or decompressed content may reach. Checked by {@link MimeStructureScanner} on the raw bytes, without
 * recursion, so a hostile mail is refused before JavaMail or our own code walks it recursively.
 *
 * @param maxDepth             nesting levels (multipart or message/rfc822 inside one another)
 * @param maxParts             body parts in the whole mail
 * @param maxHeaders           header fields in one header block
 * @param maxHeaderLineLength  octets in one physical header line (without CRLF)
 * @param maxUnwrappedBytes    size that decrypted or decompressed content may reach
 */
public record MimeLimits(int maxDepth, int maxParts, int maxHeaders, int maxHeaderLineLength, long maxUnwrappedBytes) {

    /** Generous for real mail (RFC 5322 allows 998-octet lines), far below what hurts the node. */
    public static final MimeLimits DEFAULTS = new MimeLimits(32, 1000, 500, 8192, 64L << 20);

    private static volatile MimeLimits unwrapped = DEFAULTS;

    public MimeLimits {
        positive("maxDepth", maxDepth);
        positive("maxParts", maxParts);
        positive("maxHeaders", maxHeaders);
        if (maxHeaderLineLength < 998) {
            throw new IllegalArgumentException("maxHeaderLineLength: at least 998 (RFC 5322), got " + maxHeaderLineLength);
        }
        if (maxUnwrappedBytes < 1024) {
            throw new IllegalArgumentException("maxUnwrappedBytes: at least 1024, got " + maxUnwrappedBytes);
        }
    }

    /**
     * The limits for content that only appears after decryption or decompression (it never passed the check at
     * the door). One setting per node: the node's limit-checking mailet sets it when James starts.
     */
    public static MimeLimits forUnwrappedContent() {
        return unwrapped;
    }

    public static void useForUnwrappedContent(MimeLimits limits) {
        unwrapped = Objects.requireNonNull(limits, "limits");
    }

    /** Checks a whole entity (headers and body); throws with the limit that was passed. */
    public void check(byte[] entity) throws MimeLimitException {
        if (entity.length > maxUnwrappedBytes) {
            throw new MimeLimitException("content of " + entity.length + " bytes exceeds the limit of " + maxUnwrappedBytes);
        }
        try (MimeStructureScanner scanner = new MimeStructureScanner(this)) {
            scanner.write(entity);
        } catch (MimeLimitException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an in-memory scan cannot fail to read", e);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": must be at least 1, got " + value);
        }
    }
}
