package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sealgate.crypto.MimeLimitException;
import org.sealgate.crypto.MimeLimits;
import org.sealgate.crypto.MimeStructureScanner;
import org.sealgate.testing.HostileMime;
import org.sealgate.testing.TestMessages;

class CheckMailLimitsTest {
    private final FakeMailContext context = FakeMailContext.defaultContext();

    @AfterEach
    void restoreDefaults() {
        MimeLimits.useForUnwrappedContent(MimeLimits.DEFAULTS);
    }

    private CheckMailLimits mailet(String... more) throws MessagingException {
        String[] parameters = new String[more.length + 2];
        parameters[0] = "failureProcessor";
        parameters[1] = "quarantine";
        System.arraycopy(more, 0, parameters, 2, more.length);
        CheckMailLimits mailet = new CheckMailLimits();
        mailet.init(config(context, parameters));
        return mailet;
    }

    private static MimeMessage message(byte[] entity) throws MessagingException {
        byte[] head = "From: a@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + entity.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(entity, 0, all, head.length, entity.length);
        return new MimeMessage(Session.getInstance(new java.util.Properties()), new ByteArrayInputStream(all));
    }

    @Test
    void deeplyNestedMailShouldGoToTheFailureProcessorWithTheLimitAsReason() throws Exception {
        Mail mail = mail(message(HostileMime.nestedMultiparts(20_000, "deep")), "a@example.com", "b@example.com");

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(AuditTrail.reason(mail).orElseThrow()).contains("mail exceeds a limit: MIME nesting deeper than 32 levels");
    }

    @Test
    void ordinaryMailShouldPassUntouched() throws Exception {
        Mail mail = mail(TestMessages.text("hello"), "a@example.com", "b@example.com");

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(AuditTrail.reason(mail)).isEmpty();
    }

    @Test
    void tooManyRecipientsShouldGoToTheFailureProcessor() throws Exception {
        Mail mail = mail(TestMessages.text("hello"), "a@example.com", "b@example.com", "c@example.com", "d@example.com");

        mailet("maxRecipients", "2").service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(AuditTrail.reason(mail).orElseThrow()).contains("more than 2 recipients");
    }

    @Test
    void initShouldSetTheLimitsForUnwrappedContent() throws Exception {
        mailet("maxDepth", "5", "maxUnwrappedKb", "2048");

        assertThat(MimeLimits.forUnwrappedContent().maxDepth()).isEqualTo(5);
        assertThat(MimeLimits.forUnwrappedContent().maxUnwrappedBytes()).isEqualTo(2048L * 1024);
    }

    @Test
    void initShouldRefuseNonsenseLimits() {
        assertThatThrownBy(() -> mailet("maxDepth", "0")).isInstanceOf(MessagingException.class).hasMessageContaining("maxDepth");
        assertThatThrownBy(() -> mailet("maxParts", "many")).isInstanceOf(MessagingException.class).hasMessageContaining("maxParts");
        assertThatThrownBy(() -> mailet("maxHeaderLineLength", "100")).isInstanceOf(MessagingException.class)
            .hasMessageContaining("998");
        assertThatThrownBy(() -> new CheckMailLimits().init(config(context))).isInstanceOf(MessagingException.class)
            .hasMessageContaining("failureProcessor");
    }
    @Test
    void aMailAsJamesHoldsItShouldGetTheVerdictOfTheWholeWrittenMail() throws Exception {
        List<byte[]> entities = List.of(HostileMime.nestedMultiparts(40, "deep"), HostileMime.nestedMultiparts(30, "fine"),
            HostileMime.manyParts(1001), HostileMime.manyParts(900), HostileMime.manyHeaders(600),
            HostileMime.longHeaderLine(9000),
            "Content-Type: multipart/mixed; boundary=b\r\nContent-Transfer-Encoding: base64\r\n\r\nLS1i\r\n"
                .getBytes(StandardCharsets.US_ASCII),
            ("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                + "line\r\n".repeat(20_000) + "--b\r\nContent-Type: message/rfc822\r\n\r\n"
                + new String(HostileMime.nestedMultiparts(40, "late"), StandardCharsets.US_ASCII) + "--b--\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        MimeLimits limits = MimeLimits.DEFAULTS;
        for (byte[] entity : entities) {
            String written = outcome(message(entity), limits);
            String asJamesHoldsIt = outcome(wrapper(withHeaders(entity), new AtomicLong()), limits);

            assertThat(asJamesHoldsIt).isEqualTo(written);
        }
        assertThat(outcome(wrapper(withHeaders(entities.get(0)), new AtomicLong()), limits)).contains("nesting deeper");
        assertThat(outcome(wrapper(withHeaders(entities.get(7)), new AtomicLong()), limits)).contains("nesting deeper");
    }

    @Test
    void aSinglePartMailShouldBeJudgedWithoutReadingItsBody() throws Exception {
        byte[] entity = ("Content-Type: text/plain\r\n\r\n" + "The quick brown fox.\r\n".repeat(50_000))
            .getBytes(StandardCharsets.US_ASCII);
        AtomicLong read = new AtomicLong();

        // The message as the spool hands it to the first mailet (a builder would copy it into a wrapper of its own).
        assertThat(outcome(wrapper(withHeaders(entity), read), MimeLimits.DEFAULTS)).isEqualTo("parts 1");
        assertThat(read.get()).as("bytes read of " + entity.length).isLessThan(64 * 1024);
    }

    /** "parts N" or the limit the scan refused. */
    private static String outcome(MimeMessage message, MimeLimits limits) throws Exception {
        try (MimeStructureScanner scanner = new MimeStructureScanner(limits)) {
            CheckMailLimits.scan(message, scanner);
            scanner.close();
            return "parts " + scanner.parts();
        } catch (MimeLimitException e) {
            return e.getMessage();
        }
    }

    private static byte[] withHeaders(byte[] entity) {
        byte[] head = "From: a@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + entity.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(entity, 0, all, head.length, entity.length);
        return all;
    }

    /** A message as James holds it once queued: its wrapper over the raw bytes, counting the bytes read from them. */
    private static MimeMessage wrapper(byte[] raw, AtomicLong read) {
        return new MimeMessageWrapper(Session.getInstance(new java.util.Properties()), new MimeMessageSource() {
            @Override
            public String getSourceId() {
                return "test";
            }

            @Override
            public InputStream getInputStream() {
                return new FilterInputStream(new ByteArrayInputStream(raw)) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        read.addAndGet(b < 0 ? 0 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = super.read(buffer, offset, length);
                        read.addAndGet(Math.max(0, n));
                        return n;
                    }
                };
            }

            @Override
            public long getMessageSize() {
                return raw.length;
            }
        });
    }
}
