package org.sealgate.gina.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.container.SecureMessagePage;
import org.sealgate.gina.key.KeyRing;

class CarrierMessagesTest {
    private static final URI PORTAL = URI.create("https://gina.sealgate.test:8443");
    private static final byte[] ORIGINAL = ("From: alice@sealgate.test\r\nTo: carol@partner.example\r\n"
        + "Subject: figures\r\nMessage-ID: <m1@sealgate.test>\r\n\r\n" + "secret body line\r\n".repeat(5000))
        .getBytes(StandardCharsets.US_ASCII);
    private final KeyRing ring = KeyRing.generate("k1");

    @Test
    void carrierPageShouldTravelAsShortQuotedPrintableLinesAndOpenToTheOriginalAfterAReparse() throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage original = new MimeMessage(session, new ByteArrayInputStream(ORIGINAL));
        GinaContainer container = new ContainerCrypto().seal(ORIGINAL, "carol@partner.example", "<m1@sealgate.test>", ring);

        CarrierMessages.Carrier built = CarrierMessages.build(original, "carol@partner.example", "alice@sealgate.test",
            container, PORTAL, Branding.defaults(), Optional.empty());
        MimeMessage carrier = built.unsigned();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        carrier.writeTo(wire);
        assertThat(built.headerLines()).noneMatch(line -> line.regionMatches(true, 0, "Content-", 0, 8));
        assertThat(carrier.getFrom()[0].toString()).isEqualTo("alice@sealgate.test");
        assertThat(carrier.getRecipients(MimeMessage.RecipientType.TO)[0].toString()).isEqualTo("carol@partner.example");
        assertThat(carrier.getSubject()).isEqualTo("figures");
        assertThat(carrier.getHeader(CarrierMessages.HEADER, null)).isEqualTo("container; key-id=" + container.keyId());

        String text = wire.toString(StandardCharsets.US_ASCII);
        assertThat(text.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
        assertThat(text).doesNotContain("secret body line");
        // Base64url once (and a soft line break per 75 characters), not base64 over it: about 1.39 times the
        // container, not 1.78.
        assertThat(wire.size()).isLessThan(container.toBytes().length * 14 / 10 + 8 * 1024);
        MimeMessage received = new MimeMessage(session, new ByteArrayInputStream(wire.toByteArray()));
        assertThat(received.getMessageID()).isEqualTo("<m1@sealgate.test>");
        MimeBodyPart page = (MimeBodyPart) ((MimeMultipart) received.getContent()).getBodyPart(1);
        assertThat(page.getFileName()).isEqualTo(SecureMessagePage.FILE_NAME);
        assertThat(page.getContentType()).startsWith("text/html; charset=UTF-8");
        assertThat(page.getEncoding()).isEqualTo("quoted-printable");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        page.writeTo(raw);
        assertThat(raw.toString(StandardCharsets.US_ASCII).split("\r\n"))
            .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(QuotedPrintable.MAX_LINE));
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        page.getInputStream().transferTo(decoded);
        String html = decoded.toString(StandardCharsets.UTF_8);
        assertThat(html).isEqualTo(SecureMessagePage.render(container, PORTAL, Branding.DEFAULT_TITLE,
            Branding.defaults().noticeFor("alice@sealgate.test", "carol@partner.example", PORTAL)));
        assertThat(SecureMessagePage.portalOf(html)).isEqualTo(URI.create("https://gina.sealgate.test:8443"));
        assertThat(new ContainerCrypto().open(SecureMessagePage.extract(html), "carol@partner.example", ring))
            .isEqualTo(ORIGINAL);
    }

    @Test
    void carrierEntityShouldBeCanonicalAsTheSignerTakesItUnscanned() throws Exception {
        // signCanonical neither converts nor scans: 7-bit, CRLF only, short lines, or the signature breaks in transit.
        GinaContainer container = new ContainerCrypto().seal(ORIGINAL, "carol@partner.example", "<m1@sealgate.test>", ring);
        Branding branding = new Branding("Grüße ✉ = sécurisé", "Zeile eins\nZeile zwei\t\n{sender} = {recipient} ✓  ");
        MimeMessage original = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(ORIGINAL));

        CarrierMessages.Carrier built = CarrierMessages.build(original, "carol@partner.example", "alice@sealgate.test",
            container, PORTAL, branding, Optional.of("secure-mail@sealgate.test"));

        byte[] entity = java.util.Arrays.copyOf(built.entity(), built.length());
        int lineStart = 0;
        for (int i = 0; i < entity.length; i++) {
            assertThat(entity[i]).as("byte %d", i).isBetween((byte) 1, (byte) 126);
            if (entity[i] == '\n') {
                assertThat(i).as("LF at %d after CR", i).isGreaterThan(0);
                assertThat(entity[i - 1]).as("LF at %d after CR", i).isEqualTo((byte) '\r');
                assertThat(i - 1 - lineStart).as("line at %d", lineStart).isLessThanOrEqualTo(QuotedPrintable.MAX_LINE);
                lineStart = i + 1;
            } else if (entity[i] == '\r') {
                assertThat(entity[i + 1]).as("CR at %d before LF", i).isEqualTo((byte) '\n');
            }
        }
        assertThat(entity[entity.length - 1]).isEqualTo((byte) '\n');
        MimeMessage carrier = built.unsigned();
        assertThat(carrier.getHeader("Sender", null)).isEqualTo("secure-mail@sealgate.test");
        MimeMultipart parts = (MimeMultipart) carrier.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat((String) parts.getBodyPart(0).getContent()).startsWith("Grüße ✉ = sécurisé\r\n\r\nZeile eins\r\n")
            .contains("alice@sealgate.test = carol@partner.example ✓  ");
    }

    @Test
    void containerRangeThatTheEncoderCopiesUnreadShouldBeWhatFullEncodingWouldLeaveAsItIs() throws Exception {
        GinaContainer container = new ContainerCrypto().seal(ORIGINAL, "carol@partner.example", "<m1@sealgate.test>", ring);
        SecureMessagePage.Page page = SecureMessagePage.renderPage(container, PORTAL, "Grüße = \u0000container\u0000",
            "Zeile eins\nZeile zwei = " + "lang ".repeat(40));

        byte[] vouched = QuotedPrintable.encode(page.bytes(), page.containerFrom(), page.containerTo());

        assertThat(page.containerTo() - page.containerFrom()).isGreaterThan(ORIGINAL.length);
        assertThat(vouched).isEqualTo(QuotedPrintable.encode(page.bytes()));
    }

    @Test
    void pageShouldEscapeTheNoticeAndHoldTheContainerOnceEvenWhenTheTextsLookLikeTheValue() throws Exception {
        GinaContainer container = new ContainerCrypto().seal(ORIGINAL, "carol@partner.example", "<m1@sealgate.test>", ring);

        String html = SecureMessagePage.render(container, PORTAL, "Title \u0000container\u0000",
            "<script>x</script> \u0000container\u0000");

        assertThat(html).contains("&lt;script&gt;x&lt;/script&gt;").doesNotContain("<script>");
        assertThat(html).contains("<title>Title \u0000container\u0000</title>");
        assertThat(html.split("name=\"container\" value=\"", -1)).hasSize(2);
        assertThat(SecureMessagePage.extract(html).toBytes()).isEqualTo(container.toBytes());
    }
}
