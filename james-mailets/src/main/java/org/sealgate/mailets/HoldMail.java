package org.sealgate.mailets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.held.HeldMail;
import org.sealgate.held.HeldMailException;
import org.sealgate.held.HeldMailStore;
import org.sealgate.policy.SenderTriggers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a mail into the node's held-mail store (sealed at rest, see {@link org.sealgate.held.HeldMailStores}) and ends
 * its way through the pipeline. What is stored is what a release must run through the policy again: for mail from
 * trusted clients the Subject as it arrived (with the sender's triggers, which {@link ApplyPolicy} removed; a release
 * without them could be decided with less protection) and its {@code X-Sealgate-Encrypt} value. A mail that cannot be stored is not lost: the exception sends
 * it to James's error processor, which keeps it in the error repository.
 * <p>
 * The audit reason gains the held mail's id. With {@code ghost} (default true) the mail ends here; {@code false}
 * lets the next mailet record the audit event with that id (then a {@code Null} mailet ends it).
 * <p>
 * With {@code notifySender} (default true) the sender is told the mail is held and why, only when the mail came
 * from a trusted client (direction {@code outbound}) with an envelope sender in a managed domain: never to an
 * outside address (backscatter to forged senders).
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.HoldMail">
 *     <node>${hostname}</node>
 *     <notifySender>true</notifySender>
 *     <notifyProcessor>deliver</notifyProcessor>
 *     <ghost>false</ghost>
 * </mailet>
 * }</pre>
 */
public class HoldMail extends GenericMailet {
    public static final String NOTICE_HEADER = "X-Sealgate-Held-Notice";
    private static final Logger LOGGER = LoggerFactory.getLogger(HoldMail.class);

    private final HeldMailStore store;
    private String node;
    private boolean notifySender;
    private String notifyProcessor;
    private boolean ghost;

    @Inject
    public HoldMail(HeldMailStore store) {
        this.store = store;
    }

    @Override
    public void init() throws MessagingException {
        node = getInitParameter("node", "").trim();
        notifySender = InitParameters.bool(this, "notifySender", true);
        notifyProcessor = getInitParameter("notifyProcessor", "deliver").trim();
        ghost = InitParameters.bool(this, "ghost", true);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        // A release runs the policy again and selects afresh: no selection from before the hold may be carried.
        SelectedKeys.clear(mail);
        MimeMessage message = mail.getMessage();
        boolean trustedSender = "outbound".equals(PolicyAttributes.string(mail, AuditTrail.DIRECTION).orElse(""));
        if (trustedSender) {
            restoreArrivalSubject(mail, message);
            Optional<String> encrypt = PolicyAttributes.string(mail, PolicyAttributes.ENCRYPT_HEADER_DECIDED);
            if (encrypt.isPresent()) {
                // Believed again on release only if the client address is still trusted (CaptureEncryptHeader).
                message.setHeader(SenderTriggers.HEADER, encrypt.get());
            }
        }
        String reason = AuditTrail.reason(mail).orElse("held");
        HeldMail held;
        try {
            held = store.hold(new HeldMail.Draft(reason, mail.getMaybeSender().asString(""),
                mail.getRecipients().stream().map(MailAddress::asString).toList(), node, mail.getRemoteAddr(),
                mail.getRemoteHost(), trustedSender, Optional.ofNullable(message.getSubject()).orElse(""),
                Optional.ofNullable(message.getMessageID()).orElse("")), bytes(message));
        } catch (HeldMailException e) {
            // James's error processor keeps the mail; the sender's mail is never lost for a full disk.
            throw new MessagingException("cannot hold mail " + mail.getName() + ": " + e.getMessage());
        }
        LOGGER.info("Mail {} held as {}: {}", mail.getName(), held.id(), reason);
        // The audit event (AuditMail, next) names the held mail an administrator releases or deletes.
        AuditTrail.recordReason(mail, reason + " (held mail " + held.id() + ")");
        if (ghost) {
            mail.setState(Mail.GHOST);
        }
        if (notifySender && trustedSender) {
            notifyInternalSender(mail, held);
        }
    }

    /** ApplyPolicy removed the sender's subject triggers; the held copy keeps them so a release decides the same. */
    private static void restoreArrivalSubject(Mail mail, MimeMessage message) throws MessagingException {
        Optional<String> arrival = RecordArrivalHeaders.of(mail);
        if (arrival.isEmpty()) {
            return;
        }
        InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(
            (arrival.get() + "\r\n").getBytes(StandardCharsets.UTF_8)));
        String[] subject = headers.getHeader("Subject");
        if (subject != null && subject.length == 1 && !subject[0].equals(message.getHeader("Subject", null))) {
            message.setHeader("Subject", subject[0]);     // no saveChanges(): James keeps the Message-ID
        }
    }

    private void notifyInternalSender(Mail mail, HeldMail held) {
        Optional<MailAddress> sender = mail.getMaybeSender().asOptional();
        if (sender.isEmpty() || !getMailetContext().isLocalServer(sender.get().getDomain())) {
            return;
        }
        try {
            MimeMessage notice = new MimeMessage(Session.getInstance(new Properties()));
            notice.setFrom(getMailetContext().getPostmaster().toInternetAddress().orElseThrow());
            notice.setRecipients(javax.mail.Message.RecipientType.TO, sender.get().asString());
            notice.setSubject("Held: " + held.subject(), "UTF-8");
            notice.setSentDate(new Date());
            notice.setHeader("Auto-Submitted", "auto-generated");
            notice.setHeader(NOTICE_HEADER, held.id());
            notice.setText("Your message to " + String.join(", ", held.recipients()) + " was not sent.\n"
                + "It is held on the gateway because: " + held.reason() + "\n\n"
                + "An administrator can release it once this is resolved (held mail " + held.id() + ");"
                + " released mail goes through the gateway's policy again.\n", "UTF-8");
            notice.saveChanges();
            getMailetContext().sendMail(getMailetContext().getPostmaster(), List.of(sender.get()), notice, notifyProcessor);
        } catch (MessagingException e) {
            LOGGER.warn("Held mail {}: the notice to {} could not be sent: {}", held.id(), sender.get(), e.getMessage());
        }
    }

    private static byte[] bytes(MimeMessage message) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            message.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("cannot read the mail: " + e.getMessage());
        }
        return out.toByteArray();
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate: hold mail, sealed at rest";
    }
}
