package org.sealgate.bench.smtp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import javax.mail.BodyPart;
import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;

import org.sealgate.crypto.DecryptionResult;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.crypto.PgpDecryptionResult;
import org.sealgate.crypto.PgpVerificationPolicy;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.crypto.VerificationPolicy;
import org.sealgate.crypto.VerificationResult;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.container.SecureMessagePage;
import org.sealgate.pgp.PgpManagedKey;

/**
 * Checks what reached the sink. Baseline: in clear. S/MIME: application/pkcs7-mime that decrypts with the
 * recipient's key and, with signing, holds a signed message. OpenPGP: PGP/MIME (multipart/encrypted, protocol
 * application/pgp-encrypted) that decrypts with the recipient's OpenPGP key to the benchmark text. GINA: a carrier
 * (multipart/signed) whose signature verifies against the bench CA and whose {@code secure-message.html} holds a
 * container for the recipient that opens with the cluster key ring (gina-core) to the benchmark text. No protected
 * mail may show the benchmark text in clear. Passthrough: the submitted message, unencrypted and unchanged.
 */
final class SinkCheck {
    /** A line every benchmark message carries (text body, or the text part next to the attachment). */
    static final String CLEAR_TEXT = "The quick brown fox jumps over the lazy dog";
    /** The subject of GINA's first-password mail to the sender ({@code FirstPasswordNotices}). */
    static final String FIRST_PASSWORD_SUBJECT = "First password for the secure message to " + BenchFixture.RECIPIENT;
    private static final String DECRYPTION_HEADER = "X-Sealgate-Decryption";
    private static final String SIGNATURE_HEADER = "X-Sealgate-Signature";
    /** The subjects of {@link LoadRun}'s load and probe messages (and so of the warm-up's). */
    private static final Set<String> SUBMITTED_SUBJECTS = Set.of("bench load", "bench probe");
    /** The attachment's file name in {@link Messages}. */
    private static final String ATTACHMENT = "report.bin";
    private static final SmimeCrypto SMIME = new SmimeCrypto();
    private static final PgpCrypto PGP = new PgpCrypto();

    private SinkCheck() {
    }

    /** Empty when the dump is as the scenario requires, else what is wrong. */
    static Optional<String> check(Path dump, Scenario scenario, BenchFixture fixture, MessageShape shape) {
        try {
            byte[] raw = Files.readAllBytes(dump);
            MimeMessage message = parse(raw);
            String type = String.valueOf(message.getContentType()).toLowerCase(Locale.ROOT);
            if (scenario.isBaseline()) {
                String sent = new ContentType(parse(Messages.crlf(fixture.message(shape, "x@bench.sealgate.test", "x")))
                    .getContentType()).getBaseType();
                return new ContentType(type).match(sent) ? Optional.empty()
                    : Optional.of(dump.getFileName() + ": the baseline relayed " + sent + " as " + type);
            }
            if (scenario.inbound()) {
                return inbound(message, raw, type, scenario, shape).map(p -> dump.getFileName() + ": " + p);
            }
            if (scenario.protection() == Scenario.Protection.CLEAR) {
                return unchanged(message, fixture, shape).map(p -> dump.getFileName() + ": " + p);
            }
            if (new String(raw, StandardCharsets.ISO_8859_1).contains(CLEAR_TEXT)) {
                return Optional.of(dump.getFileName() + ": the benchmark text arrived in clear");
            }
            Optional<String> problem = switch (scenario.protection()) {
                case SMIME -> smime(message, type, scenario, fixture);
                case PGP -> pgp(message, type, fixture);
                case GINA -> gina(message, type, fixture);
                case NONE, CLEAR -> Optional.empty();
            };
            return problem.map(p -> dump.getFileName() + ": " + p);
        } catch (IOException | MessagingException | RuntimeException e) {
            return Optional.of(dump.getFileName() + ": " + e);
        } catch (Exception e) {
            return Optional.of(dump.getFileName() + ": does not decrypt: " + e);
        }
    }

    /**
     * Inbound mail arrives opened: decrypted (the encrypted loads; X-Sealgate-Decryption says so), its signature
     * verified and the subject tagged valid, the benchmark text and any attachment byte for byte as the tool got them.
     */
    private static Optional<String> inbound(MimeMessage message, byte[] raw, String type, Scenario scenario,
                                            MessageShape shape) throws Exception {
        if (type.startsWith("application/pkcs7-mime") || type.startsWith("multipart/encrypted")) {
            return Optional.of("still encrypted, Content-Type " + type);
        }
        boolean encrypted = scenario.load() != Scenario.Load.SMIME_SIGNED;
        String decryption = message.getHeader(DECRYPTION_HEADER, null);
        if (encrypted && (decryption == null || !decryption.startsWith("decrypted"))) {
            return Optional.of("not marked decrypted: " + DECRYPTION_HEADER + " " + decryption);
        }
        String tag = scenario.load() == Scenario.Load.PGP_SIGNED_ENCRYPTED ? "[PGP OK]" : "[signed OK]";
        String subject = String.valueOf(message.getSubject());
        if (!subject.startsWith(tag + " ")) {
            return Optional.of("subject not tagged " + tag + ": '" + subject + "' (" + SIGNATURE_HEADER + " "
                + message.getHeader(SIGNATURE_HEADER, null) + ")");
        }
        if (!shape.attachment()) {
            return holdsBenchmarkText(raw, "delivered message");
        }
        // The entity the tool protected (its attachment's size depends on the header lengths: the same call).
        byte[] expected = attachment(parse(Messages.crlf(InboundMail.innerEntity(shape))), ATTACHMENT).orElseThrow();
        Optional<byte[]> delivered = attachment(message, ATTACHMENT);
        if (delivered.isEmpty()) {
            return Optional.of("the attachment " + ATTACHMENT + " is missing");
        }
        return java.util.Arrays.equals(expected, delivered.get()) ? holdsBenchmarkText(raw, "delivered message")
            : Optional.of("the attachment " + ATTACHMENT + " differs from the one sent (" + delivered.get().length
                + " bytes, sent " + expected.length + ")");
    }

    /**
     * Passthrough: the message as it was submitted, unencrypted and unchanged: one of the subjects the benchmark
     * sends, every header field it was sent with and the same value, no {@code X-Sealgate-*} field (the gateway's
     * marks never leave it), and the body byte for byte (line ends aside: the sink writes its own). The expected
     * message is made again from the delivered Message-ID and Subject, as {@link LoadRun} made it.
     */
    private static Optional<String> unchanged(MimeMessage delivered, BenchFixture fixture, MessageShape shape)
        throws MessagingException, IOException {
        String id = delivered.getMessageID();
        String subject = delivered.getSubject();
        if (id == null || !id.startsWith("<") || !id.endsWith(">") || !SUBMITTED_SUBJECTS.contains(subject)) {
            return Optional.of("not a message the benchmark sent: Message-ID " + id + ", Subject '" + subject + "'");
        }
        MimeMessage sent = parse(Messages.crlf(fixture.message(shape, id.substring(1, id.length() - 1), subject)));
        for (Enumeration<Header> fields = delivered.getAllHeaders(); fields.hasMoreElements(); ) {
            String name = fields.nextElement().getName();
            if (name.regionMatches(true, 0, "X-Sealgate-", 0, "X-Sealgate-".length())) {
                return Optional.of("the gateway's field " + name + " left it");
            }
        }
        for (Enumeration<Header> fields = sent.getAllHeaders(); fields.hasMoreElements(); ) {
            Header field = fields.nextElement();
            String[] values = delivered.getHeader(field.getName());
            if (values == null || !Arrays.asList(values).contains(field.getValue())) {
                return Optional.of("header " + field.getName() + " arrived as " + (values == null ? "nothing"
                    : String.join(" / ", values)) + ", sent " + field.getValue());
            }
        }
        byte[] body = lineFeeds(delivered.getRawInputStream().readAllBytes());
        byte[] expected = lineFeeds(sent.getRawInputStream().readAllBytes());
        return Arrays.equals(body, expected) ? Optional.empty()
            : Optional.of("the body differs from the one sent (" + body.length + " bytes, sent " + expected.length + ")");
    }

    /** Lines ending in LF, and no empty lines at the end (smtp-sink writes LF and appends two). */
    private static byte[] lineFeeds(byte[] text) {
        String lines = new String(text, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        int end = lines.length();
        while (end > 0 && lines.charAt(end - 1) == '\n') {
            end--;
        }
        return lines.substring(0, end).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** GINA's first-password mail: empty when the dump is that notice (about the recipient), else what it is. */
    static Optional<String> checkNotice(Path dump) {
        try {
            String subject = String.valueOf(parse(Files.readAllBytes(dump)).getSubject());
            return subject.equals(FIRST_PASSWORD_SUBJECT) ? Optional.empty()
                : Optional.of(dump.getFileName() + ": unexpected mail to the sender, subject '" + subject + "'");
        } catch (IOException | MessagingException e) {
            return Optional.of(dump.getFileName() + ": " + e);
        }
    }

    private static Optional<String> smime(MimeMessage message, String type, Scenario scenario, BenchFixture fixture)
        throws Exception {
        if (!type.startsWith("application/pkcs7-mime") && !type.startsWith("application/x-pkcs7-mime")) {
            return Optional.of("not encrypted, Content-Type " + type);
        }
        DecryptionResult result = SMIME.decrypt(message, List.of(fixture.recipientIdentity()));
        if (scenario.signs() && !SmimeCrypto.isSigned(result.message())) {
            return Optional.of("decrypts but the content is not signed");
        }
        return Optional.empty();
    }

    private static Optional<String> pgp(MimeMessage message, String type, BenchFixture fixture) throws Exception {
        ContentType contentType = new ContentType(message.getContentType());
        if (!contentType.match("multipart/encrypted")
            || !"application/pgp-encrypted".equalsIgnoreCase(contentType.getParameter("protocol"))) {
            return Optional.of("not PGP/MIME, Content-Type " + type);
        }
        PgpDecryptionResult result = PGP.decrypt(message,
            List.of(new PgpManagedKey(BenchFixture.RECIPIENT, fixture.pgpRecipient(), component -> null)),
            PgpVerificationPolicy.strict(List.of()));
        return holdsBenchmarkText(bytes(result.message()), "decrypted OpenPGP content");
    }

    private static Optional<String> gina(MimeMessage message, String type, BenchFixture fixture) throws Exception {
        if (!type.startsWith("multipart/signed")) {
            return Optional.of("not a signed GINA carrier, Content-Type " + type);
        }
        VerificationResult signature = SMIME.verify(message, VerificationPolicy.trusting(List.of(fixture.ca())));
        if (!signature.isValid()) {
            return Optional.of("the carrier's signature is " + signature.status() + ": " + signature.detail());
        }
        Optional<byte[]> page = attachment(message, SecureMessagePage.FILE_NAME);
        if (page.isEmpty()) {
            return Optional.of("the carrier has no " + SecureMessagePage.FILE_NAME);
        }
        GinaContainer container = SecureMessagePage.extract(new String(page.get(), StandardCharsets.UTF_8));
        if (!container.recipient().equalsIgnoreCase(BenchFixture.RECIPIENT)) {
            return Optional.of("the container is for " + container.recipient());
        }
        byte[] original = new ContainerCrypto().open(container, BenchFixture.RECIPIENT, fixture.ginaRing());
        return holdsBenchmarkText(original, "opened GINA container");
    }

    private static Optional<String> holdsBenchmarkText(byte[] content, String what) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        return text.contains(CLEAR_TEXT) ? Optional.empty()
            : Optional.of("the " + what + " is not the submitted message");
    }

    /** The first part with that file name, decoded (read in a loop: javax.mail's base64 stream truncates readAllBytes). */
    private static Optional<byte[]> attachment(Part part, String fileName) throws MessagingException, IOException {
        if (fileName.equals(part.getFileName())) {
            try (InputStream in = part.getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                }
                return Optional.of(out.toByteArray());
            }
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                Optional<byte[]> found = attachment(child, fileName);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static MimeMessage parse(byte[] raw) throws MessagingException {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    private static byte[] bytes(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }
}
