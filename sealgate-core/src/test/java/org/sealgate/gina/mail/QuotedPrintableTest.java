package org.sealgate.gina.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import javax.mail.internet.MimeUtility;

import org.junit.jupiter.api.Test;

class QuotedPrintableTest {

    @Test
    void shortPlainLinesShouldPassAsTheyAre() {
        byte[] text = "<p>Hello</p>\r\nAbc-_09xyz\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(QuotedPrintable.encode(text)).isEqualTo(text);
    }

    @Test
    void encodedLinesShouldStayWithinTheLimitAndDecodeToTheSameBytes() throws Exception {
        String text = "<input type=\"hidden\" name=\"container\" value=\"\r\n" + "x".repeat(200) + " \r\n"
            + "Grüße, 日本 = tab\tend\t\r\nlone\rcr lone\nlf\r\n" + "=".repeat(100) + "\r\nno line end";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        byte[] encoded = QuotedPrintable.encode(bytes);

        String wire = new String(encoded, StandardCharsets.US_ASCII);
        assertThat(wire.split("\r\n", -1)).allSatisfy(line -> {
            assertThat(line.length()).isLessThanOrEqualTo(QuotedPrintable.MAX_LINE);
            assertThat(line).doesNotEndWith(" ").doesNotEndWith("\t");
        });
        assertThat(wire).doesNotContain("\r\r").matches("[\\x20-\\x7e\\r\\n\\t]*");
        assertThat(decoded(encoded)).isEqualTo(bytes);
    }

    @Test
    void randomBytesShouldRoundTripThroughJavaMailsDecoder() throws Exception {
        Random random = new Random(16);
        for (int round = 0; round < 50; round++) {
            byte[] bytes = new byte[random.nextInt(600)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly text, with CR, LF, spaces and high bytes where they make trouble.
                int pick = random.nextInt(10);
                bytes[i] = (byte) (pick == 0 ? "\r\n \t="
                    .charAt(random.nextInt(5)) : pick == 1 ? random.nextInt(256) : 'a' + random.nextInt(26));
            }
            assertThat(decoded(QuotedPrintable.encode(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void aVouchedLiteralRunShouldBeCutExactlyAsByteByByteEncodingCutsIt() throws Exception {
        Random random = new Random(76);
        String[] ends = {"", "\r\n", "\">\r\nmore", " \r\n", "="};
        for (int round = 0; round < 400; round++) {
            String prefix = "x=".repeat(random.nextInt(3)) + "a".repeat(random.nextInt(160));
            StringBuilder run = new StringBuilder();
            for (int i = random.nextInt(400); i > 0; i--) {
                run.append("AZaz09-_".charAt(random.nextInt(8)));
            }
            byte[] text = (prefix + run + ends[random.nextInt(ends.length)]).getBytes(StandardCharsets.US_ASCII);

            byte[] vouched = QuotedPrintable.encode(text, prefix.length(), prefix.length() + run.length());

            assertThat(vouched).isEqualTo(QuotedPrintable.encode(text));
            assertThat(decoded(vouched)).isEqualTo(text);
        }
    }

    private static byte[] decoded(byte[] encoded) throws Exception {
        return MimeUtility.decode(new ByteArrayInputStream(encoded), "quoted-printable").readAllBytes();
    }
}
