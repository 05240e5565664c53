package org.sealgate.mailets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.budget.MailMemoryBudget;
import org.sealgate.budget.MailMemoryBudgets;
import org.sealgate.crypto.CryptoException;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.gina.account.AccountStoreException;
import org.sealgate.gina.account.FirstContact;
import org.sealgate.gina.container.ContainerCrypto;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.mail.Branding;
import org.sealgate.gina.mail.CarrierMessages;
import org.sealgate.gina.mail.FirstPasswordNotices;
import org.sealgate.gina.mail.GinaBackend;
import org.sealgate.gina.mail.GinaUnavailableException;
import org.sealgate.gina.mail.PhoneNumbers;
import org.sealgate.gina.mail.SmsGateway;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.ManagedIdentity;

/**
 * GINA: replaces the mail, for each recipient routed here, by a signed carrier mail whose attachment
 * {@code secure-message.html} holds the complete original MIME message sealed for that recipient (gina-core's
 * container: AES-256-GCM, content key wrapped with the cluster GINA key ring, recipient and Message-ID bound).
 * Other recipients are re-queued one by one to {@code splitProcessor}, so every carrier has one recipient.
 *
 * <p>Signing: with the sender's managed key when the gateway holds one (the carrier is From the sender, so mail
 * clients show the sender's valid signature); otherwise with the managed key of {@code gatewaySigner}, which then
 * appears as {@code Sender:}. Without either key the mail is held: no unsigned carrier leaves.
 *
 * <p>First contact: the recipient's account is created "awaiting registration" in the replicated store; its first
 * password goes by SMS when {@code firstPasswordChannel} is {@code sms} and a trusted sender gave the recipient's
 * number ({@link PhoneNumbers#HEADER}, kept by {@link CaptureGinaPhone}), otherwise (and when the SMS fails) in a
 * separate mail to the sender, sent to {@code notifyProcessor}. The password appears in no log and no audit event.
 *
 * <p>Any failure (GINA unavailable on this node, account store unreachable, no signing key, a mail larger than
 * {@code maxMessageKb}) sends the mail to {@code failureProcessor} (the quarantine) with the reason; nothing is
 * delivered in clear. {@code maxMessageKb} (default {@value #DEFAULT_MAX_MESSAGE_KB}) keeps to what the portal can
 * open: it takes a posted container up to its {@code upload.max-bytes} (32 MiB by default), about 4/3 of the mail;
 * raise both together (on a node: {@code gina.max-message-kb}).
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.GinaSeal">
 *     <nextProcessor>route-delivery</nextProcessor>
 *     <splitProcessor>gina</splitProcessor>
 *     <failureProcessor>quarantine</failureProcessor>
 *     <notifyProcessor>deliver</notifyProcessor>
 *     <firstPasswordChannel>sender</firstPasswordChannel>   <!-- sender | sms -->
 *     <gatewaySigner>secure-mail@example.com</gatewaySigner> <!-- optional -->
 *     <title>Secure message from Example Corp</title>       <!-- optional -->
 *     <noticeText>{sender} sent you ...</noticeText>        <!-- optional; {sender} {recipient} {portal} {title} -->
 *     <maxMessageKb>24000</maxMessageKb>                    <!-- optional; what the portal's upload limit opens -->
 * </mailet>
 * }</pre>
 */
public class GinaSeal extends GenericMailet {
    private MailMemoryBudget budget = MailMemoryBudgets.unlimited();
    private String busyProcessor = MemoryReservation.DEFAULT_BUSY_PROCESSOR;
    /** The method recorded in the audit trail for a recipient served by GINA. */
    public static final String METHOD = "gina";
    /**
     * 24,000 KB: its container (the mail and a header of a few hundred bytes), posted as base64url (4/3 of it),
     * stays under the portal's default 32 MiB upload limit; 24 MiB would miss it by the header.
     */
    public static final int DEFAULT_MAX_MESSAGE_KB = 24_000;

    private final GinaBackend gina;
    private final KeyDirectory keys;
    private final SmimeCrypto crypto;
    private final SmsGateway sms;
    private final AuditPublisher audit;
    private final Clock clock;
    private String nextProcessor;
    private String splitProcessor;
    private String failureProcessor;
    private String notifyProcessor;
    private boolean smsChannel;
    private Optional<String> gatewaySigner;
    private Branding branding;
    private long maxMessageBytes;

    @Inject
    public GinaSeal(GinaBackend gina, KeyDirectory keys, SmimeCrypto crypto, SmsGateway sms, AuditPublisher audit) {
        this(gina, keys, crypto, sms, audit, Clock.systemUTC());
    }

    public GinaSeal(GinaBackend gina, KeyDirectory keys, SmimeCrypto crypto, SmsGateway sms, AuditPublisher audit,
                    Clock clock) {
        this.gina = gina;
        this.keys = keys;
        this.crypto = crypto;
        this.sms = sms;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        busyProcessor = getInitParameter(MemoryReservation.BUSY_PROCESSOR, MemoryReservation.DEFAULT_BUSY_PROCESSOR).strip();
        nextProcessor = InitParameters.required(this, "nextProcessor");
        splitProcessor = InitParameters.required(this, "splitProcessor");
        failureProcessor = InitParameters.required(this, "failureProcessor");
        notifyProcessor = getInitParameter("notifyProcessor", "deliver").trim();
        String channel = getInitParameter("firstPasswordChannel", "sender").trim().toLowerCase(Locale.ROOT);
        if (!channel.equals("sender") && !channel.equals("sms")) {
            throw new MessagingException("GinaSeal: 'firstPasswordChannel' must be 'sender' or 'sms', got '" + channel + "'");
        }
        smsChannel = channel.equals("sms");
        String signer = getInitParameter("gatewaySigner", "").trim();
        if (!signer.isEmpty()) {
            try {
                new InternetAddress(signer, true);
            } catch (AddressException e) {
                throw new MessagingException("GinaSeal: 'gatewaySigner' is not an address: '" + signer + "'");
            }
        }
        gatewaySigner = Optional.of(signer).filter(s -> !s.isEmpty());
        maxMessageBytes = InitParameters.positive(this, "maxMessageKb", DEFAULT_MAX_MESSAGE_KB) * 1024;
        try {
            branding = new Branding(getInitParameter("title", Branding.DEFAULT_TITLE).trim(),
                getInitParameter("noticeText", Branding.DEFAULT_NOTICE).strip());
        } catch (IllegalArgumentException e) {
            throw new MessagingException("GinaSeal: " + e.getMessage());
        }
    }

    /** The node's budget for whole-message work (without injection, e.g. in tests: no limit). */
    @Inject
    public void useMemoryBudget(MailMemoryBudget budget) {
        this.budget = budget;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        try (MailMemoryBudget.Reservation held = MemoryReservation.reserve(budget, mail, "GINA sealing", busyProcessor)) {
            if (held != null) {
                serviceWithinBudget(mail);
            }
        }
    }

    private void serviceWithinBudget(Mail mail) throws MessagingException {
        RecipientGroups.keepFirstAndRequeueOthers(mail,
            RecipientGroups.group(mail.getRecipients(), Function.identity()), getMailetContext(), splitProcessor);
        String recipient = mail.getRecipients().iterator().next().asString();
        try {
            seal(mail, recipient);
            mail.setState(nextProcessor);
        } catch (Refusal refusal) {
            AuditTrail.recordReason(mail, "GINA: " + refusal.getMessage());
            mail.setState(failureProcessor);
        }
    }

    private void seal(Mail mail, String recipient) throws MessagingException, Refusal {
        GinaBackend.Access access;
        try {
            access = gina.access();
        } catch (GinaUnavailableException e) {
            throw new Refusal(e.getMessage());
        }
        String sender = Senders.sender(mail).orElseThrow(() -> new Refusal(
            "the mail has no sender address, so nobody could pass a first password on"));
        MimeMessage original = mail.getMessage();
        String messageId = Optional.ofNullable(original.getMessageID()).orElse("<" + mail.getName() + "@sealgate>");
        byte[] plaintext = bytes(original);
        if (plaintext.length > maxMessageBytes) {
            throw new Refusal("the message (" + plaintext.length / 1024 + " KB) is larger than the GINA portal can open ("
                + maxMessageBytes / 1024 + " KB, maxMessageKb); send it another way or raise the portal's upload limit"
                + " and maxMessageKb together");
        }
        GinaContainer container = new ContainerCrypto(clock).seal(plaintext, recipient, messageId, access.keyRing());

        Optional<String> agent = Optional.empty();
        Optional<ManagedIdentity> signer = keys.managedIdentity(sender);
        if (signer.isEmpty() && gatewaySigner.isPresent()) {
            signer = keys.managedIdentity(gatewaySigner.get());
            agent = gatewaySigner;
        }
        if (signer.isEmpty()) {
            throw new Refusal("no key to sign the carrier mail: the gateway holds no managed key for " + sender
                + gatewaySigner.map(s -> " nor for the gateway signer " + s).orElse(" and no gatewaySigner is set"));
        }
        MimeMessage carrier;
        try {
            CarrierMessages.Carrier unsigned = CarrierMessages.build(original, recipient, sender, container,
                access.portal(), branding, agent);
            carrier = crypto.signCanonical(unsigned.headerLines(), unsigned.entity(), unsigned.length(), signer.get());
        } catch (CryptoException e) {
            throw new Refusal("cannot sign the carrier mail: " + e.getMessage());
        }

        FirstContact contact;
        try {
            if (!managed(sender) && access.accounts().find(recipient).isEmpty()) {
                // A first password goes only to a sender of a managed domain, never to an outside address.
                throw new Refusal("no GINA account for " + recipient + ", and its first password would go to " + sender
                    + ", which is not in a managed domain");
            }
            contact = access.accounts().ensureAccount(recipient);
        } catch (AccountStoreException e) {
            throw new Refusal("the account store is unreachable: " + e.getMessage());
        }
        if (contact.created()) {
            deliverFirstPassword(mail, sender, recipient, contact.firstPassword().orElseThrow(), access.portal(), messageId);
        }
        HeaderSavingMessage.install(mail, carrier);
        AuditTrail.recordStep(mail, METHOD, Map.of(recipient, "gina-key:" + container.keyId()
            + " signer:" + Fingerprints.sha256(signer.get().certificate())));
    }

    private void deliverFirstPassword(Mail mail, String sender, String recipient, String firstPassword, URI portal,
                                      String messageId) throws MessagingException, Refusal {
        String subject = Optional.ofNullable(mail.getMessage().getSubject()).orElse("");
        String from = getMailetContext().getPostmaster().asString();
        String why = "";
        if (smsChannel) {
            Optional<String> phone = Optional.ofNullable(PhoneNumbers.parse(CaptureGinaPhone.value(mail).orElse(null),
                List.of(recipient)).get(recipient.toLowerCase(Locale.ROOT)));
            if (phone.isPresent()) {
                String masked = PhoneNumbers.masked(phone.get());
                try {
                    sms.send(phone.get(), FirstPasswordNotices.smsText(branding.title(), recipient, firstPassword));
                    notify(mail, sender, FirstPasswordNotices.smsSentToRecipient(from, sender, recipient,
                        subject, masked));
                    event(messageId, sender, recipient, "gina-first-contact",
                        "account created, awaiting registration; first password sent by SMS to " + masked);
                    return;
                } catch (SmsGateway.SmsException e) {
                    event(messageId, sender, recipient, "gina-sms-failed", "SMS to " + masked + " failed: "
                        + e.getMessage() + "; the first password goes to the sender by mail instead");
                    why = "the SMS to " + masked + " could not be sent";
                }
            } else {
                why = "no usable phone number was given for " + recipient + ", so no SMS was sent";
            }
        }
        notify(mail, sender, FirstPasswordNotices.passwordForSender(from, sender, recipient, subject,
            firstPassword, portal, why));
        event(messageId, sender, recipient, "gina-first-contact",
            "account created, awaiting registration; first password sent to the sender by mail" + (why.isEmpty() ? "" : " (" + why + ")"));
    }

    private void notify(Mail mail, String sender, MimeMessage notice) throws Refusal {
        try {
            getMailetContext().sendMail(getMailetContext().getPostmaster(), List.of(new MailAddress(sender)), notice,
                notifyProcessor);
        } catch (MessagingException e) {
            throw new Refusal("the account was created but the first password could not be sent to " + sender
                + " (" + e.getMessage() + "); reset it with 'sealgate gina reset-password'");
        }
    }

    private void event(String messageId, String sender, String recipient, String outcome, String reason) {
        audit.publish(new AuditEvent(clock.instant(), messageId, "outbound", sender,
            List.of(new AuditEvent.RecipientOutcome(recipient, METHOD, "")), outcome, reason));
    }

    private boolean managed(String address) {
        try {
            return getMailetContext().isLocalServer(new MailAddress(address).getDomain());
        } catch (javax.mail.internet.AddressException e) {
            return false;
        }
    }

    private static byte[] bytes(MimeMessage message) throws MessagingException {
        // Sized from the body's size plus room for the headers: a stream from 32 bytes doubled its way up, copying.
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(0, message.getSize()) + 16 * 1024);
        try {
            message.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("GinaSeal: cannot read the message: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** A reason to hold the mail instead of sending a carrier. */
    private static final class Refusal extends Exception {
        Refusal(String message) {
            super(message);
        }
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate GINA carrier mail";
    }
}
