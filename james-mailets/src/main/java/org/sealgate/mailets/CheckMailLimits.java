package org.sealgate.mailets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.crypto.MimeLimitException;
import org.sealgate.crypto.MimeLimits;
import org.sealgate.crypto.MimeStructureScanner;

/**
 * The first step for every mail: checks the recipient count and the raw MIME structure against the node's limits
 * ({@link MimeLimits}) before any mailet parses the mail. A mail past a limit goes whole to {@code failureProcessor}
 * with the limit as its reason. Also sets the limits for content that appears only after decryption. The scan
 * reads the mail only as far as a limit could still be passed ({@link #scan}).
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.CheckMailLimits">
 *     <failureProcessor>quarantine</failureProcessor>
 *     <maxRecipients>1000</maxRecipients>
 *     <maxDepth>32</maxDepth>
 *     <maxParts>1000</maxParts>
 *     <maxHeaders>500</maxHeaders>
 *     <maxHeaderLineLength>8192</maxHeaderLineLength>
 *     <maxUnwrappedKb>65536</maxUnwrappedKb>
 * </mailet>
 * }</pre>
 */
public class CheckMailLimits extends GenericMailet {
    private String failureProcessor;
    private long maxRecipients;
    private MimeLimits limits;

    @Override
    public void init() throws MessagingException {
        failureProcessor = InitParameters.required(this, "failureProcessor");
        maxRecipients = InitParameters.positive(this, "maxRecipients", 1000);
        MimeLimits defaults = MimeLimits.DEFAULTS;
        try {
            limits = new MimeLimits(
                intValue("maxDepth", defaults.maxDepth()),
                intValue("maxParts", defaults.maxParts()),
                intValue("maxHeaders", defaults.maxHeaders()),
                intValue("maxHeaderLineLength", defaults.maxHeaderLineLength()),
                InitParameters.positive(this, "maxUnwrappedKb", defaults.maxUnwrappedBytes() / 1024) * 1024);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("CheckMailLimits: " + e.getMessage(), e);
        }
        MimeLimits.useForUnwrappedContent(limits);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getRecipients().size() > maxRecipients) {
            refuse(mail, "more than " + maxRecipients + " recipients");
            return;
        }
        try (MimeStructureScanner scanner = new MimeStructureScanner(limits)) {
            scan(mail.getMessage(), scanner);
        } catch (MimeLimitException e) {
            refuse(mail, e.getMessage());
        } catch (IOException e) {
            throw new MessagingException("the mail could not be read", e);
        }
    }

    /**
     * Feeds the scanner the entity as James writes it ({@code MimeMessageWrapper.writeTo}: the header block as James
     * parsed it, CRLF after each line and one more after the last, then the body from the source) but stops reading
     * where the scan is {@link MimeStructureScanner#settled() settled}: a single-part mail's body is not read at all,
     * and nothing is parsed. A message that is not James's as it arrived (modified, or built elsewhere) is written
     * whole.
     */
    static void scan(MimeMessage message, MimeStructureScanner scanner) throws MessagingException, IOException {
        if (!(message instanceof MimeMessageWrapper wrapper) || wrapper.isModified()) {
            message.writeTo(scanner);
            return;
        }
        Enumeration<String> lines = wrapper.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            String line = lines.nextElement() + (lines.hasMoreElements() ? "\r\n" : "\r\n\r\n");
            scanner.write(line.getBytes(StandardCharsets.US_ASCII));
        }
        if (scanner.settled()) {
            return;
        }
        try (InputStream body = wrapper.getRawInputStream()) {
            byte[] buffer = new byte[16 * 1024];
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                scanner.write(buffer, 0, n);
                if (scanner.settled()) {
                    return;
                }
            }
        }
    }

    private void refuse(Mail mail, String limit) {
        AuditTrail.recordReason(mail, "mail exceeds a limit: " + limit);
        mail.setState(failureProcessor);
    }

    private int intValue(String name, int defaultValue) throws MessagingException {
        long value = InitParameters.positive(this, name, defaultValue);
        if (value > Integer.MAX_VALUE) {
            throw new MessagingException("CheckMailLimits: '" + name + "' is too large: " + value);
        }
        return (int) value;
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate limits on recipients and MIME structure";
    }
}
