package org.sealgate.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte searches and line tests shared by the raw-MIME readers ({@link MimeStructureScanner},
 * {@link NestedEncryptionScan}, {@link MultipartSplitter}, the canonical line-end check). The searches read eight
 * bytes at a time (SWAR): a per-byte loop was most of the scan of a 100 KB mail in the node's profile.
 */
final class LineBytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LINE_FEEDS = ONES * '\n';
    private static final long DASHES = ONES * '-';

    private LineBytes() {
    }

    /** The index of the first LF in {@code bytes[from, end)}, or -1. */
    static int indexOfLineFeed(byte[] bytes, int from, int end) {
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long found = zeroBytes((long) LONGS.get(bytes, i) ^ LINE_FEEDS);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first '-' or LF in {@code bytes[from, end)}, or {@code end}. */
    static int indexOfDashOrLineFeed(byte[] bytes, int from, int end) {
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long word = (long) LONGS.get(bytes, i);
            long found = zeroBytes(word ^ LINE_FEEDS) | zeroBytes(word ^ DASHES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '-' || bytes[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    /** Whether {@code line} begins with {@code prefix} (the caller knows the line is at least as long). */
    static boolean startsWith(byte[] line, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code line[from, to)} holds only spaces and tabs. */
    static boolean blank(byte[] line, int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] != ' ' && line[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Bit 7 set in the lowest byte of {@code x} that is zero (higher bytes may be set falsely, the lowest is exact). */
    private static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGHS;
    }
}
