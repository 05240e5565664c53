package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.TestMessages;

class ToEmlDirectoryTest {
    private final FakeMailContext context = FakeMailContext.defaultContext();

    @TempDir
    Path root;

    private ToEmlDirectory mailet(Path directory) throws MessagingException {
        ToEmlDirectory mailet = new ToEmlDirectory();
        mailet.init(config(context, "directory", directory.toString()));
        return mailet;
    }

    private static List<Path> files(Path directory) throws Exception {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.sorted().toList();
        }
    }

    @Test
    void initShouldFailWithoutDirectory() {
        assertThatThrownBy(() -> new ToEmlDirectory().init(config(context)))
            .isInstanceOf(MessagingException.class).hasMessageContaining("directory");
        assertThatThrownBy(() -> new ToEmlDirectory().init(config(context, "directory", "  ")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("directory");
    }

    @Test
    void initShouldFailWhenTheDirectoryCannotBeCreated() throws Exception {
        Path file = Files.writeString(root.resolve("a-file"), "x");

        assertThatThrownBy(() -> mailet(file.resolve("sub")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("cannot create");
    }

    @Test
    void initShouldCreateTheDirectory() throws Exception {
        Path directory = root.resolve("out/bound");

        mailet(directory);

        assertThat(directory).isDirectory();
    }

    @Test
    void writeShouldStoreOneEmlWithTheEnvelopeOnTopOfTheUnchangedMessageAndEndProcessing() throws Exception {
        Path directory = root.resolve("outbound");
        MimeMessage original = TestMessages.withAttachment("keep me", TestMessages.randomBytes(4000, 9));
        FakeMail mail = FakeMail.builder().name("Mail 1/2:x").sender(TestMessages.FROM)
            .recipients("bob@partner.test", "carol@partner.test").mimeMessage(original).state("deliver").build();

        mailet(directory).service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        List<Path> written = files(directory);
        assertThat(written).singleElement().satisfies(file -> {
            assertThat(file.getFileName().toString()).endsWith("-Mail_1_2_x.eml").doesNotStartWith(".");
        });
        byte[] content = Files.readAllBytes(written.get(0));
        String envelope = "X-Sealgate-Envelope-From: <" + TestMessages.FROM + ">\r\n"
            + "X-Sealgate-Envelope-To: <bob@partner.test>, <carol@partner.test>\r\n";
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(envelope.getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(TestMessages.bytes(original));
        assertThat(content).isEqualTo(expected.toByteArray());

        MimeMessage parsed = TestMessages.parse(content);
        assertThat(parsed.getHeader("X-Sealgate-Envelope-From", null)).isEqualTo("<" + TestMessages.FROM + ">");
        assertThat(parsed.getMessageID()).isEqualTo(original.getMessageID());
        assertThat(parsed.getSubject()).isEqualTo(original.getSubject());
        assertThat(TestMessages.attachment(parsed)).isEqualTo(TestMessages.attachment(original));
    }

    @Test
    void writeShouldShowTheNullSenderAsEmptyBrackets() throws Exception {
        Path directory = root.resolve("bounces");
        FakeMail mail = FakeMail.builder().name("dsn").sender(org.apache.james.core.MaybeSender.nullSender())
            .recipient("bob@partner.test").mimeMessage(TestMessages.text("x")).build();

        mailet(directory).service(mail);

        assertThat(Files.readString(files(directory).get(0), StandardCharsets.ISO_8859_1))
            .startsWith("X-Sealgate-Envelope-From: <>\r\nX-Sealgate-Envelope-To: <bob@partner.test>\r\n");
    }

    @Test
    void writeShouldLeaveNoTemporaryFilesBehind() throws Exception {
        Path directory = root.resolve("outbound");
        ToEmlDirectory mailet = mailet(directory);

        for (int i = 0; i < 3; i++) {
            mailet.service(FakeMail.builder().name("mail-" + i).sender(TestMessages.FROM).recipient("bob@partner.test")
                .mimeMessage(TestMessages.text("n" + i)).build());
        }

        assertThat(files(directory)).hasSize(3)
            .allSatisfy(file -> assertThat(file.getFileName().toString()).endsWith(".eml").doesNotStartWith("."));
    }
}
