package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

class MimeBase64Test {
    private final Random random = new Random(16);

    @Test
    void linesOfEveryUsualShapeShouldDecodeAsTheMimeDecoderDecodesThem() {
        for (int size : new int[] {0, 1, 2, 3, 47, 48, 49, 57, 100, 4_095, 100_000}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            for (String lineEnd : new String[] {"\r\n", "\n", "\r"}) {
                for (int lineLength : new int[] {64, 76}) {
                    String text = new String(Base64.getMimeEncoder(lineLength, lineEnd.getBytes(StandardCharsets.US_ASCII))
                        .encode(data), StandardCharsets.US_ASCII) + lineEnd;
                    assertThat(decoded(text)).as("%d bytes, %d-character lines", size, lineLength).isEqualTo(data);
                    assertThat(decoded(lineEnd + text + lineEnd + lineEnd)).isEqualTo(data);
                }
            }
        }
    }

    @Test
    void irregularLinesAndStrayCharactersShouldGiveWhatTheMimeDecoderGives() {
        byte[] data = new byte[3_000];
        random.nextBytes(data);
        String plain = Base64.getEncoder().encodeToString(data);
        for (int round = 0; round < 300; round++) {
            StringBuilder text = new StringBuilder();
            for (int at = 0; at < plain.length(); ) {
                int length = Math.min(plain.length() - at, round % 3 == 0 ? 60 + random.nextInt(8) : 1 + random.nextInt(90));
                text.append(plain, at, at + length).append(switch (random.nextInt(6)) {
                    case 0 -> "\n";
                    case 1 -> "\r\n\r\n";
                    case 2 -> " \r\n";     // white space the MIME decoder skips: the basic one refuses it
                    case 3 -> "\t\n";
                    default -> "\r\n";
                });
                at += length;
            }
            assertThat(decoded(text.toString())).as(text.toString()).isEqualTo(data);
        }
    }

    @Test
    void shortLinesAfterLongOnesShouldNotBeCutAtTheLongOnesLength() {
        // The guessed end of the second line (64 characters on) is a line break, but so is the byte after "QUJD".
        String text = "A".repeat(64) + "\r\nQUJD\r\n" + "B".repeat(56) + "\r\n";
        assertThat(decoded(text)).isEqualTo(Base64.getMimeDecoder().decode(text));
    }

    @Test
    void badPaddingShouldBeRefusedAsBefore() {
        assertThat(MimeBase64.decodeInPlace("QUJD=QUJD\r\n".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(MimeBase64.decodeInPlace("QQ=\r\nQ\r\n".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    private static byte[] decoded(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        byte[] expected = Base64.getMimeDecoder().decode(bytes);
        byte[] actual = MimeBase64.decodeInPlace(bytes).orElseThrow();
        assertThat(actual).isEqualTo(expected);
        return actual;
    }
}
