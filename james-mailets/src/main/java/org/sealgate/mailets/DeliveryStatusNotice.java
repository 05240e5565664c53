package org.sealgate.mailets;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Replaces James's {@code DSNBounce} for mail that RemoteDelivery gave up on: the sender gets an RFC 3464 failure
 * notice with the reason and the headers the mail arrived with ({@link RecordArrivalHeaders}), never its body and
 * never headers that decryption restored. The notice has the null sender and enters the pipeline at the root like
 * any new mail, so a notice to an outside address passes the outbound policy (encrypted, or bounced/held when
 * policy requires encryption and nothing is usable); the original mail ends here. A mail with the null sender gets
 * no notice (no bounce of a bounce).
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.DeliveryStatusNotice">
 *     <reportingMta>gateway.example.com</reportingMta>
 * </mailet>
 * }</pre>
 */
public class DeliveryStatusNotice extends GenericMailet {
    /** Where RemoteDelivery (its bounce processor path) puts the next hop's answer. */
    static final AttributeName DELIVERY_ERROR = AttributeName.of("delivery-error");

    private final Clock clock;
    private String reportingMta;

    public DeliveryStatusNotice() {
        this(Clock.systemUTC());
    }

    DeliveryStatusNotice(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        reportingMta = InitParameters.required(this, "reportingMta");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.hasSender() && !mail.getRecipients().isEmpty()) {
            MailAddress notified = mail.getMaybeSender().get();
            String reason = PolicyAttributes.string(mail, DELIVERY_ERROR)
                .or(() -> AuditTrail.reason(mail))
                .orElse(mail.getErrorMessage() == null ? "" : mail.getErrorMessage());
            MimeMessage notice = DeliveryReport.failure(reportingMta, getMailetContext().getPostmaster().asString(),
                notified.asString(), mail.getRecipients().stream().map(MailAddress::asString).toList(), reason,
                headers(mail), ZonedDateTime.now(clock));
            send(getMailetContext(), notified, notice);
        }
        mail.setState(Mail.GHOST);
    }

    /** A notice enters the pipeline at the root with the null sender (no bounce of a bounce). */
    static void send(org.apache.mailet.MailetContext context, MailAddress notified, MimeMessage notice) throws MessagingException {
        MailImpl noticeMail = MailImpl.builder()
            .name(MailImpl.getId())
            .sender(MaybeSender.nullSender())
            .addRecipients(List.of(notified))
            .mimeMessage(notice)
            .build();
        try {
            context.sendMail(noticeMail);
        } finally {
            noticeMail.dispose();
        }
    }

    /** The arrival headers; without them (a mail queued by an older node) only its Message-ID. */
    static String headers(Mail mail) throws MessagingException {
        return RecordArrivalHeaders.of(mail).orElseGet(() -> {
            try {
                String id = mail.getMessage().getMessageID();
                return id == null ? "" : "Message-ID: " + DeliveryReport.oneLine(id) + "\r\n";
            } catch (MessagingException e) {
                return "";
            }
        });
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate delivery status notice (headers only)";
    }
}
