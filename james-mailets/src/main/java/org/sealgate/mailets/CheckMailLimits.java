package org.sealgate.mailets;

import java.io.IOException;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.crypto.MimeLimitException;
import org.sealgate.crypto.MimeLimits;
import org.sealgate.crypto.MimeStructureScanner;

/**
 * The first step for every mail: checks the recipient count and the raw MIME structure against the node's limits
 * ({@link MimeLimits}) before any mailet parses the mail. A mail past a limit goes whole to {@code failureProcessor}
 * with the limit as its reason. Also sets the limits for content that appears only after decryption.
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
            mail.getMessage().writeTo(scanner);
        } catch (MimeLimitException e) {
            refuse(mail, e.getMessage());
        } catch (IOException e) {
            throw new MessagingException("the mail could not be read", e);
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
