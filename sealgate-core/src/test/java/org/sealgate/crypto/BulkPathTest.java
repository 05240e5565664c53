package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sealgate.crypto.EncryptionPolicy.ContentEncryption;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

/** The byte-level fast paths of the encryption pipeline (chunked cipher input, CRLF, the binary-CTE scan). */
class BulkPathTest {
    private final SmimeCrypto crypto = new SmimeCrypto();

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, ChunkedContent.CHUNK - 1, ChunkedContent.CHUNK, ChunkedContent.CHUNK + 1, 3 * ChunkedContent.CHUNK + 7})
    void chunkedContentShouldHandTheCipherEveryByteInPiecesNoLargerThanAChunk(int size) throws Exception {
        byte[] content = TestMessages.randomBytes(size, size);
        List<Integer> pieces = new ArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        new ChunkedContent(content).write(new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("single-byte write");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                pieces.add(len);
                received.write(b, off, len);
            }
        });

        assertThat(received.toByteArray()).isEqualTo(content);
        assertThat(pieces).allMatch(len -> len > 0 && len <= ChunkedContent.CHUNK);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"AES256_GCM", "AES256_CBC"})
    void encryptShouldRoundTripAttachmentsAroundChunkBoundaries(String content) throws Exception {
        EncryptionPolicy policy = EncryptionPolicy.DEFAULT.withContent(ContentEncryption.valueOf(content));
        for (int size : new int[] {ChunkedContent.CHUNK - 700, 2 * ChunkedContent.CHUNK, 200_000}) {
            byte[] attachment = TestMessages.randomBytes(size, 7);
            MimeMessage encrypted = crypto.encrypt(TestMessages.withAttachment("hello", attachment),
                List.of(TestPki.aliceRsa().certificate()), policy);
            DecryptionResult result = crypto.decrypt(TestMessages.parse(TestMessages.bytes(encrypted)),
                List.of(TestPki.managed(TestPki.aliceRsa())));

            assertThat(TestMessages.attachment(result.message())).as(size + " bytes").isEqualTo(attachment);
        }
    }

    @Test
    void canonicalLineEndingsShouldTurnOnlyBareLineFeedsIntoCrlf() {
        assertThat(crlf("a\nb\r\nc\n")).isEqualTo("a\r\nb\r\nc\r\n");
        assertThat(crlf("\n\n")).isEqualTo("\r\n\r\n");
        assertThat(crlf("")).isEmpty();
        byte[] clean = "x\r\ny\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(MimeEntities.canonicalLineEndings(clean)).isEqualTo(clean);
    }

    @Test
    void declaresBinaryShouldFindTheHeaderOnAnyLineInAnyCaseButNotInsideText() {
        assertThat(binary("Content-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n\r\nx")).isTrue();
        assertThat(binary("Content-Type: multipart/mixed\n\n--b\ncontent-transfer-encoding:  BINARY \n\nx\n--b--\n")).isTrue();
        assertThat(binary("Content-Transfer-Encoding:binary")).isTrue();
        assertThat(binary("Content-Transfer-Encoding: base64\r\n\r\nYmluYXJ5")).isFalse();
        assertThat(binary("X-Content-Transfer-Encoding: binary\r\n\r\n")).isFalse();
        assertThat(binary("Subject: x\r\n\r\nsee Content-Transfer-Encoding: binary here\r\n")).isFalse();
        assertThat(binary("Content-Transfer-Encoding: binaryish\r\n")).isFalse();
        assertThat(binary("")).isFalse();
    }

    private static String crlf(String text) {
        return new String(MimeEntities.canonicalLineEndings(text.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
    }

    private static boolean binary(String entity) {
        return TransferEncodings.declaresBinary(entity.getBytes(StandardCharsets.ISO_8859_1));
    }
}
