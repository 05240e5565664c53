package org.sealgate.mailets;

import java.time.Clock;
import java.time.ZonedDateTime;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Tells the sender that the policy refused the mail, as an RFC 3464 delivery status notice
 * ({@code multipart/report; report-type=delivery-status}, as {@link DeliveryStatusNotice} does for delivery
 * failures) with the reason recorded by an earlier Sealgate step in the human part and in the
 * {@code Diagnostic-Code} field ({@code Status: 5.7.1}, delivery not authorized); the notice carries the headers
 * the mail arrived with, never its content. It has the null sender and enters the pipeline at the root, so one to an
 * outside sender passes the outbound policy like any mail. A mail with the null sender cannot be bounced; it goes
 * to {@code orphanProcessor} so it is kept, not lost. Follow it with the audit step and {@code Null}, so that each
 * mail gets exactly one event.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.BounceWithReason">
 *     <orphanProcessor>quarantine</orphanProcessor>
 *     <reportingMta>gateway.example.com</reportingMta>   <!-- optional: default, the postmaster's domain -->
 * </mailet>
 * <mailet match="All" class="org.sealgate.mailets.AuditMail">
 *     <outcome>bounced</outcome>
 * </mailet>
 * <mailet match="All" class="Null"/>
 * }</pre>
 */
public class BounceWithReason extends GenericMailet {
    /** RFC 3463 X.7.1: delivery not authorized, message refused (by our policy). */
    static final String POLICY_STATUS = "5.7.1";

    private final Clock clock;
    private String orphanProcessor;
    private String reportingMta;

    public BounceWithReason() {
        this(Clock.systemUTC());
    }

    BounceWithReason(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        orphanProcessor = InitParameters.required(this, "orphanProcessor");
        String configured = getInitParameter("reportingMta");
        reportingMta = configured == null || configured.isBlank()
            ? getMailetContext().getPostmaster().getDomain().asString() : configured.strip();
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (!mail.hasSender()) {
            mail.setState(orphanProcessor);
            return;
        }
        String reason = "Your message was not sent. " + AuditTrail.reason(mail).orElse("refused by gateway policy");
        MailAddress notified = mail.getMaybeSender().get();
        MimeMessage notice = DeliveryReport.failure(reportingMta, getMailetContext().getPostmaster().asString(),
            notified.asString(), mail.getRecipients().stream().map(MailAddress::asString).toList(), reason, POLICY_STATUS,
            DeliveryStatusNotice.headers(mail), ZonedDateTime.now(clock));
        DeliveryStatusNotice.send(getMailetContext(), notified, notice);
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate policy bounce (RFC 3464 delivery status notice, headers only)";
    }
}
