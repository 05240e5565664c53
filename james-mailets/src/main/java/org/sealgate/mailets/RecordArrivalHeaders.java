package org.sealgate.mailets;

import java.util.Enumeration;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Keeps the header block of a mail as it arrived, before anything is decrypted, in a mail attribute. A delivery
 * status notice ({@link DeliveryStatusNotice}) quotes these headers, never the ones decryption restored: an
 * encrypted mail's protected Subject (RFC 9788) must not come back in clear to whoever claims to have sent it.
 * Place it in the transport processor, after the headers that never travel on (Bcc, our markers) are removed.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.RecordArrivalHeaders"/>
 * }</pre>
 */
public class RecordArrivalHeaders extends GenericMailet {
    public static final AttributeName ARRIVAL_HEADERS = AttributeName.of("org.sealgate.arrival-headers");
    /** Enough for any real header block; the rest is cut at a line so a notice stays small. */
    static final int MAX_CHARS = 32 * 1024;

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getAttribute(ARRIVAL_HEADERS).isPresent()) {
            return;     // a split or re-queued mail keeps what the first pass saw
        }
        StringBuilder headers = new StringBuilder();
        Enumeration<String> lines = mail.getMessage().getAllHeaderLines();
        while (lines.hasMoreElements()) {
            String line = lines.nextElement();
            if (headers.length() + line.length() + 2 > MAX_CHARS) {
                break;
            }
            headers.append(line).append("\r\n");
        }
        mail.setAttribute(new Attribute(ARRIVAL_HEADERS, AttributeValue.of(headers.toString())));
    }

    /** The recorded header block, if this mail passed the transport processor. */
    static Optional<String> of(Mail mail) {
        return PolicyAttributes.string(mail, ARRIVAL_HEADERS);
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate: record the headers as they arrived";
    }
}
