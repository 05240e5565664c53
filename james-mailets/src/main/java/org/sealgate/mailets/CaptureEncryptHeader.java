package org.sealgate.mailets;

import javax.mail.MessagingException;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.policy.SenderTriggers;

/**
 * Keeps the value of the sender's {@code X-Sealgate-Encrypt} header (as SEPPmail's Outlook add-in sets it) in a
 * mail attribute, so that it survives the transport processor's removal of every {@code X-Sealgate-*} header.
 * Match it with the trusted-client matcher only and place it before that removal: from anyone else the header is
 * dropped unread. {@link ApplyPolicy} reads the attribute on the outbound path.
 *
 * <pre>{@code
 * <mailet match="relay-allowed" class="org.sealgate.mailets.CaptureEncryptHeader"/>
 * <mailet match="All" class="RemoveMimeHeaderByPrefix">
 *     <prefix>X-Sealgate-</prefix>
 * </mailet>
 * }</pre>
 */
public class CaptureEncryptHeader extends GenericMailet {

    @Override
    public void service(Mail mail) throws MessagingException {
        String[] values = mail.getMessage().getHeader(SenderTriggers.HEADER);
        if (values != null && values.length > 0) {
            mail.setAttribute(new Attribute(PolicyAttributes.ENCRYPT_HEADER, AttributeValue.of(values[0].trim())));
        }
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate X-Sealgate-Encrypt capture for trusted senders";
    }
}
