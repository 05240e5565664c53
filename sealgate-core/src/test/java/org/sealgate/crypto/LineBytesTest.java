package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The eight-at-a-time searches find exactly what a byte-by-byte search finds, at every offset and for every byte. */
class LineBytesTest {
    @Test
    void searchesShouldFindWhatAByteByByteSearchFindsAtEveryOffsetAndLength() {
        Random random = new Random(16);
        // Bytes next to the searched ones and with the high bit set are where a word-wise zero test could go wrong.
        byte[] alphabet = {'\n', '-', '\r', ' ', 'a', 0, 9, 11, 44, 46, (byte) 0x80, (byte) 0x8A, (byte) 0xAD, (byte) 0xFF};
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('b' + random.nextInt(20));
            }
            for (int from = 0; from <= bytes.length; from++) {
                for (int end = from; end <= bytes.length; end++) {
                    assertThat(LineBytes.indexOfLineFeed(bytes, from, end)).isEqualTo(naive(bytes, from, end, false));
                    int dash = naive(bytes, from, end, true);
                    assertThat(LineBytes.indexOfDashOrLineFeed(bytes, from, end)).isEqualTo(dash < 0 ? end : dash);
                }
            }
        }
    }

    @Test
    void lineTestsShouldCompareOnlyTheGivenRange() {
        byte[] line = "--b1 \t x".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(LineBytes.startsWith(line, "--b1".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isTrue();
        assertThat(LineBytes.startsWith(line, "--b2".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isFalse();
        assertThat(LineBytes.blank(line, 4, 7)).isTrue();
        assertThat(LineBytes.blank(line, 4, 8)).isFalse();
    }

    private static int naive(byte[] bytes, int from, int end, boolean dash) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == '\n' || (dash && bytes[i] == '-')) {
                return i;
            }
        }
        return -1;
    }
}
