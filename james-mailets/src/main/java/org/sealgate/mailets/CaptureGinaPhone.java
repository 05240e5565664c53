package org.sealgate.mailets;

import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.gina.mail.PhoneNumbers;

/**
 * Keeps a trusted sender's {@code X-Sealgate-Gina-Phone} header (recipients' mobile numbers for the GINA first
 * password, see {@link PhoneNumbers}) in a mail attribute; the
 * transport processor's removal of every {@code X-Sealgate-*} header then makes sure the number never leaves the
 * gateway. Match it with the trusted-client matcher, before the transport processor's removal of every
 * {@code X-Sealgate-*} header: from anyone else the header is dropped unread. {@link GinaSeal} reads the attribute.
 *
 * <pre>{@code
 * <mailet match="relay-allowed" class="org.sealgate.mailets.CaptureGinaPhone"/>
 * }</pre>
 */
public class CaptureGinaPhone extends GenericMailet {
    public static final AttributeName PHONES = AttributeName.of("org.sealgate.gina.phones");

    @Override
    public void service(Mail mail) throws MessagingException {
        String[] values = mail.getMessage().getHeader(PhoneNumbers.HEADER);
        if (values != null && values.length > 0) {
            mail.setAttribute(new Attribute(PHONES, AttributeValue.of(String.join(", ", values).trim())));
        }
    }

    static Optional<String> value(Mail mail) {
        return PolicyAttributes.string(mail, PHONES);
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate X-Sealgate-Gina-Phone capture for trusted senders";
    }
}
