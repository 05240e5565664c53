package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.sealgate.testing.HostileMime;

class MimeStructureScannerTest {
    private static final MimeLimits LIMITS = new MimeLimits(8, 50, 40, 1000, 1 << 20);

    @Test
    void ordinaryMailWithAttachmentsAndAnEmbeddedMessageShouldPass() throws Exception {
        String mail = "From: a@example.com\r\nSubject: hi\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n"
            + "preamble\r\n--outer\r\nContent-Type: multipart/alternative;\r\n boundary=\"alt\"\r\n\r\n"
            + "--alt\r\nContent-Type: text/plain\r\n\r\n--not a boundary\r\n--alt\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--alt--\r\n"
            + "--outer\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@example.com\r\nContent-Type: text/plain\r\n\r\ninner\r\n"
            + "--outer\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--outer--\r\n";
        MimeStructureScanner scanner = new MimeStructureScanner(LIMITS);
        scanner.write(mail.getBytes(StandardCharsets.US_ASCII));
        scanner.close();

        assertThat(scanner.parts()).isEqualTo(1 + 3 + 2 + 1);
    }

    @Test
    void nestingDeeperThanTheLimitShouldBeRefusedWithoutRecursion() {
        assertThatCode(() -> LIMITS.check(HostileMime.nestedMultiparts(8, "fine"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> LIMITS.check(HostileMime.nestedMultiparts(9, "too deep")))
            .isInstanceOf(MimeLimitException.class).hasMessageContaining("nesting deeper than 8");
        // 200,000 levels: a recursive parser would overflow its stack long before the end.
        MimeLimits roomy = new MimeLimits(8, 50, 40, 1000, 64L << 20);
        assertThatThrownBy(() -> roomy.check(HostileMime.nestedMultiparts(200_000, "x")))
            .isInstanceOf(MimeLimitException.class).hasMessageContaining("nesting");
    }

    @Test
    void closedSiblingsShouldNotAddUpToDepth() {
        StringBuilder mail = new StringBuilder("Content-Type: multipart/mixed; boundary=top\r\n\r\n");
        for (int i = 0; i < 20; i++) {
            mail.append("--top\r\nContent-Type: multipart/mixed; boundary=s").append(i).append("\r\n\r\n--s").append(i)
                .append("\r\n\r\nx\r\n--s").append(i).append("--\r\n");
        }
        mail.append("--top--\r\n");

        assertThatCode(() -> LIMITS.check(mail.toString().getBytes(StandardCharsets.US_ASCII))).doesNotThrowAnyException();
    }

    @Test
    void anOuterBoundaryShouldCloseInnerPartsLeftOpen() {
        // Inner multiparts never closed: the outer boundary ends them (as JavaMail reads it), so depth does not grow.
        StringBuilder mail = new StringBuilder("Content-Type: multipart/mixed; boundary=top\r\n\r\n");
        for (int i = 0; i < 20; i++) {
            mail.append("--top\r\nContent-Type: multipart/mixed; boundary=open\r\n\r\n--open\r\n\r\nx\r\n");
        }
        mail.append("--top--\r\n");

        assertThatCode(() -> LIMITS.check(mail.toString().getBytes(StandardCharsets.US_ASCII))).doesNotThrowAnyException();
    }

    @Test
    void tooManyPartsShouldBeRefused() {
        assertThatCode(() -> LIMITS.check(HostileMime.manyParts(49))).doesNotThrowAnyException();
        assertThatThrownBy(() -> LIMITS.check(HostileMime.manyParts(50)))
            .isInstanceOf(MimeLimitException.class).hasMessageContaining("more than 50 MIME parts");
    }

    @Test
    void tooManyHeaderFieldsShouldBeRefused() {
        assertThatCode(() -> LIMITS.check(HostileMime.manyHeaders(39))).doesNotThrowAnyException();
        assertThatThrownBy(() -> LIMITS.check(HostileMime.manyHeaders(40)))
            .isInstanceOf(MimeLimitException.class).hasMessageContaining("more than 40 header fields");
    }

    @Test
    void aHeaderLineLongerThanTheLimitShouldBeRefusedButALongBodyLineNot() {
        assertThatCode(() -> LIMITS.check(HostileMime.longHeaderLine(1000))).doesNotThrowAnyException();
        assertThatThrownBy(() -> LIMITS.check(HostileMime.longHeaderLine(1001)))
            .isInstanceOf(MimeLimitException.class).hasMessageContaining("longer than 1000");
        byte[] longBody = ("Content-Type: text/plain\r\n\r\n" + "z".repeat(100_000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThatCode(() -> LIMITS.check(longBody)).doesNotThrowAnyException();
    }

    @Test
    void encodedMultipartAndMultipartWithoutBoundaryShouldBeRefused() {
        byte[] encoded = "Content-Type: multipart/mixed; boundary=b\r\nContent-Transfer-Encoding: base64\r\n\r\nLS1i\r\n"
            .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> LIMITS.check(encoded)).isInstanceOf(MimeLimitException.class).hasMessageContaining("base64");
        byte[] noBoundary = "Content-Type: multipart/mixed\r\n\r\n--guess\r\n\r\nx\r\n--guess--\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> LIMITS.check(noBoundary)).isInstanceOf(MimeLimitException.class).hasMessageContaining("boundary");
    }

    @Test
    void boundaryWithTrailingWhitespacePastTheLineBufferShouldStillCount() {
        // Padding a delimiter line must not hide a level from the scan (JavaMail ignores trailing whitespace).
        StringBuilder mail = new StringBuilder();
        for (int level = 0; level < 9; level++) {
            mail.append("Content-Type: multipart/mixed; boundary=b").append(level).append("\r\n\r\n--b").append(level)
                .append(" ".repeat(5000)).append("\r\n");
        }
        mail.append("\r\nx\r\n");

        assertThatThrownBy(() -> LIMITS.check(mail.toString().getBytes(StandardCharsets.US_ASCII)))
            .isInstanceOf(MimeLimitException.class).hasMessageContaining("nesting");
    }

    @Test
    void embeddedMessagesShouldCountAsNesting() {
        StringBuilder mail = new StringBuilder();
        for (int level = 0; level < 9; level++) {
            mail.append("Subject: level ").append(level).append("\r\nContent-Type: message/rfc822\r\n\r\n");
        }
        mail.append("Content-Type: text/plain\r\n\r\nx\r\n");

        assertThatThrownBy(() -> LIMITS.check(mail.toString().getBytes(StandardCharsets.US_ASCII)))
            .isInstanceOf(MimeLimitException.class).hasMessageContaining("nesting deeper than 8");
    }

    @Test
    void contentLargerThanTheUnwrappedLimitShouldBeRefused() {
        byte[] big = new byte[(1 << 20) + 1];
        assertThatThrownBy(() -> LIMITS.check(big)).isInstanceOf(MimeLimitException.class).hasMessageContaining("exceeds the limit");
    }
    @Test
    void theVerdictShouldNotDependOnHowTheBytesArriveInPieces() throws Exception {
        // Body lines are passed over to their line feed: a line cut between two writes must not hide a boundary.
        String ordinary = "Subject: hi\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\npreamble\r\n--outer\r\n"
            + "Content-Type: text/plain\r\n\r\n-- signature dash\r\n---outer\r\nx--outer\r\n--outer\r\n"
            + "Content-Type: message/rfc822\r\n\r\nFrom: b@example.com\r\n\r\ninner\r\n--outer--\r\nepilogue\r\n";
        byte[] padded = ("Content-Type: multipart/mixed; boundary=p\r\n\r\n--p" + " ".repeat(3000) + "\r\n\r\nx\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        for (int piece : new int[] {1, 2, 3, 7, 64, 1 << 20}) {
            assertThat(scan(ordinary.getBytes(StandardCharsets.US_ASCII), piece, LIMITS)).as("pieces of " + piece)
                .isEqualTo("parts 4");
            assertThat(scan(HostileMime.nestedMultiparts(9, "deep"), piece, LIMITS)).as("pieces of " + piece)
                .contains("nesting deeper than 8");
            assertThat(scan(HostileMime.manyParts(50), piece, LIMITS)).as("pieces of " + piece)
                .contains("more than 50 MIME parts");
            assertThat(scan(padded, piece, new MimeLimits(1, 50, 40, 1000, 1 << 20))).as("pieces of " + piece)
                .isEqualTo("parts 2");
        }
    }

    @Test
    void theScanShouldBeSettledOnlyWhenNoBoundaryCanComeAnyMore() throws Exception {
        MimeStructureScanner single = new MimeStructureScanner(LIMITS);
        single.write("Subject: x\r\nContent-Type: text/plain\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(single.settled()).as("still in the headers").isFalse();
        single.write("\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(single.settled()).as("a single part's body").isTrue();

        MimeStructureScanner multi = new MimeStructureScanner(LIMITS);
        multi.write("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        multi.write("Subject: inner\r\n\r\ntext\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(multi.settled()).as("inside a multipart whose closing delimiter may still come").isFalse();
        multi.write("--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(multi.settled()).as("after the outermost closing delimiter").isTrue();

        MimeStructureScanner embedded = new MimeStructureScanner(LIMITS);
        embedded.write("Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(embedded.settled()).as("in the embedded message's headers").isFalse();
        embedded.write("Content-Type: multipart/mixed; boundary=c\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(embedded.settled()).as("in the embedded message's multipart").isFalse();
    }

    /** The scan's outcome with the entity written in pieces of {@code piece} bytes: "parts N" or the limit passed. */
    private static String scan(byte[] entity, int piece, MimeLimits limits) {
        MimeStructureScanner scanner = new MimeStructureScanner(limits);
        try {
            for (int at = 0; at < entity.length; at += piece) {
                scanner.write(entity, at, Math.min(piece, entity.length - at));
            }
            scanner.close();
            return "parts " + scanner.parts();
        } catch (MimeLimitException e) {
            return e.getMessage();
        }
    }
}
