package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sealgate.testing.TestMessages;

/**
 * The one-pass entity of signing and encrypting ({@link OutgoingEntity}, {@link SerializedMessage}) answers and
 * builds exactly what the joined copy and its separate scans did (the earlier code is the oracle here).
 */
class OutgoingEntityTest {
    /** Messages around every case the scans distinguish; each also tried with slack after its end. */
    private static final String[] MESSAGES = {
        "Subject: a\r\nContent-Type: text/plain\r\n\r\nplain CRLF body\r\nsecond line\r\n",
        "Subject: a\nContent-Type: text/plain\n\nbare LF body\nsecond line\n",
        "Subject: a\r\n\r\n\nbody starting with a bare LF\r\nmixed\nendings\r\n",
        "Subject: no body at all\r\nContent-Type: text/plain",
        "\r\nno headers, only a body\n",
        "\nno headers, LF\n",
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: binary\r\n\r\nx\ny\r\n--b--\r\n",
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\ncontent-transfer-encoding:  BINARY \r\n\r\nx\r\n--b--\r\n",
        "Content-Type: text/plain\r\nContent-Transfer-Encoding: binaryish\r\n\r\nCcontent-Transfer-Encoding: base64\r\n",
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\ncaf\u00e9\r\n",
        "Subject: caf\u00e9 in a header\r\nContent-Type: text/plain\r\n\r\nascii body\r\n",
        "Content-Type: text/plain\r\n\r\nNUL \u0000 inside\r\n",
        "Content-Type: text/plain\r\n\r\n" + "x".repeat(998) + "\r\n" + "y".repeat(998) + "\n",
        "Content-Type: text/plain\r\n\r\n" + "x".repeat(999) + "\r\n",
        "Content-Type: text/plain\r\n\r\n" + "x".repeat(998) + "\r",
        "Content-Type: text/plain\r\n\r\nends without a line break",
        "Content-Type: text/plain\r\n\r\nc",
    };

    @Test
    void splitShouldGiveTheHeaderLinesAndBodyOfEntityParse() {
        for (String text : MESSAGES) {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            MimeEntities.Entity expected = MimeEntities.Entity.parse(bytes);
            for (int slack : new int[] {0, 1, 100}) {
                SerializedMessage split = SerializedMessage.split(Arrays.copyOf(bytes, bytes.length + slack), bytes.length);

                assertThat(split.headerLines()).as(text).isEqualTo(expected.headerLines());
                assertThat(Arrays.copyOfRange(split.array(), split.bodyOffset(), split.bodyEnd())).as(text)
                    .isEqualTo(expected.body());
            }
        }
    }

    @Test
    void scanShouldAgreeWithTheSeparateScansOfTheJoinedEntity() throws Exception {
        for (String text : MESSAGES) {
            for (int slack : new int[] {0, 7}) {
                byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
                SerializedMessage split = SerializedMessage.split(Arrays.copyOf(bytes, bytes.length + slack), bytes.length);
                List<String> head = split.contentHeaderLines();
                byte[] joined = MimeEntities.join(head, MimeEntities.Entity.parse(bytes).body());
                OutgoingEntity entity = OutgoingEntity.of(head, split);

                OutgoingEntity.Scan scan = entity.scan();

                assertThat(entity.toArray()).as(text).isEqualTo(joined);
                assertThat(scan.needsSevenBitConversion()).as(text).isEqualTo(TransferEncodings.needsSevenBitConversion(joined));
                assertThat(scan.declaresBinary()).as(text).isEqualTo(TransferEncodings.declaresBinary(joined));
                assertThat(entity.withCanonicalLineEndings(scan.bareLineFeeds()).toArray()).as(text)
                    .isEqualTo(MimeEntities.canonicalLineEndings(joined));
            }
        }
    }

    @Test
    void innerEntityShouldBeTheBytesOfTheJoinedInnerEntity() throws Exception {
        for (String text : MESSAGES) {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            for (HeaderProtection protection : List.of(HeaderProtection.OFF, HeaderProtection.DEFAULT)) {
                byte[] expected = Encryptor.innerEntity(MimeEntities.Entity.parse(bytes), protection);

                byte[] actual = Encryptor.innerEntity(SerializedMessage.split(bytes, bytes.length), protection).toArray();

                assertThat(actual).as(text).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 100, ChunkedContent.CHUNK + 1, 200_000})
    void serializedMessageShouldHoldWhatWriteToWritesWhateverItsSizeEstimate(int size) throws Exception {
        // Built in memory (no size known, headers completed by writeTo) and parsed (size known exactly).
        MimeMessage built = TestMessages.withAttachment("hello", TestMessages.randomBytes(size, size));
        MimeMessage parsed = TestMessages.parse(TestMessages.bytes(built));
        for (MimeMessage message : List.of(built, parsed)) {
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            message.writeTo(written);
            MimeEntities.Entity expected = MimeEntities.Entity.parse(written.toByteArray());

            SerializedMessage serialized = SerializedMessage.of(message);

            assertThat(serialized.headerLines()).isEqualTo(expected.headerLines());
            assertThat(Arrays.copyOfRange(serialized.array(), serialized.bodyOffset(), serialized.bodyEnd()))
                .isEqualTo(expected.body());
        }
    }

    @Test
    void writeToShouldHandOverHeaderAndBodyInPiecesNoLargerThanAsked() throws Exception {
        byte[] bytes = ("Subject: x\r\nContent-Type: text/plain\r\n\r\n" + "line\r\n".repeat(500)).getBytes(StandardCharsets.US_ASCII);
        SerializedMessage split = SerializedMessage.split(bytes, bytes.length);
        OutgoingEntity entity = OutgoingEntity.of(split.contentHeaderLines(), split);
        List<Integer> pieces = new ArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();

        entity.writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("single-byte write");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                pieces.add(len);
                received.write(b, off, len);
            }
        }, 1024);

        assertThat(received.toByteArray()).isEqualTo(entity.toArray());
        assertThat(pieces).allMatch(len -> len > 0 && len <= 1024);
    }
}
