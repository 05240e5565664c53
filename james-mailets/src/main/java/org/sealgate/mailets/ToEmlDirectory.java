package org.sealgate.mailets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Writes each mail as an {@code .eml} file a person can open, with the envelope in {@code X-Sealgate-Envelope-*}
 * lines on top; then ends processing. The demo uses it instead of a next hop. Files are written whole or not at
 * all (temporary file, then atomic rename).
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.ToEmlDirectory">
 *     <directory>/var/lib/sealgate/mail/outbound</directory>
 * </mailet>
 * }</pre>
 */
public class ToEmlDirectory extends GenericMailet {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");
    private Path directory;

    @Override
    public void init() throws MessagingException {
        directory = Paths.get(InitParameters.required(this, "directory"));
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new MessagingException("ToEmlDirectory: cannot create " + directory, e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        String name = STAMP.format(LocalDateTime.now()) + "-" + mail.getName().replaceAll("[^A-Za-z0-9._-]", "_");
        Path temporary = directory.resolve("." + name + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            String envelope = "X-Sealgate-Envelope-From: <" + mail.getMaybeSender().asString("") + ">\r\n"
                + "X-Sealgate-Envelope-To: " + mail.getRecipients().stream()
                    .map(r -> "<" + r.asString() + ">").collect(Collectors.joining(", ")) + "\r\n";
            out.write(envelope.getBytes(StandardCharsets.US_ASCII));
            mail.getMessage().writeTo(out);
        } catch (IOException e) {
            temporary.toFile().delete();
            throw new MessagingException("ToEmlDirectory: cannot write " + temporary, e);
        }
        try {
            Files.move(temporary, directory.resolve(name + ".eml"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MessagingException("ToEmlDirectory: cannot store " + name, e);
        }
        mail.setState(Mail.GHOST);
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate .eml directory writer";
    }
}
