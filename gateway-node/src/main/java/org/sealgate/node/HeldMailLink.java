package org.sealgate.node;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.MimeMessage;

import org.apache.james.GuiceJamesServer;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.james.transport.matchers.SMTPIsAuthNetwork;
import org.apache.james.utils.GuiceProbe;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.sealgate.admin.HeldMailAccess;
import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.held.HeldMail;
import org.sealgate.held.HeldMailException;
import org.sealgate.held.HeldMailStore;
import org.sealgate.held.HeldMessage;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.multibindings.Multibinder;

/**
 * A node's held mail: the store (opened before James, which injects it into {@link org.sealgate.mailets.HoldMail})
 * and, once James runs, the {@link HeldMailService} that releases into James's spool queue.
 */
final class HeldMailLink implements AutoCloseable {
    /** Set on a released mail: the audit trail and tests can tell a release from a new mail. */
    static final AttributeName RELEASED_FROM = AttributeName.of("org.sealgate.held.released-from");

    private final HeldMailStore store;
    private final HeldMailSettings settings;
    private volatile HeldMailService service;

    private HeldMailLink(HeldMailStore store, HeldMailSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    static HeldMailLink open(NodeLayout layout) throws IOException {
        return new HeldMailLink(HeldMailKeys.store(layout, true), HeldMailSettings.load(layout.data()));
    }

    Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(HeldMailStore.class).toInstance(store);
                Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(SpoolProbe.class);
            }
        };
    }

    void start(GuiceJamesServer james, AuditPublisher audit) {
        SpoolProbe spool = james.getProbe(SpoolProbe.class);
        service = HeldMailServices.start(store, message -> {
            Mail mail = toMail(message);
            try {
                spool.spool().enQueue(mail);
            } finally {
                LifecycleUtil.dispose(mail);     // the queue keeps its own copy
            }
        }, audit, settings, Clock.systemUTC());
    }

    /** The released mail as it was held: same envelope, client and trust, so the transport classifies it alike. */
    private static Mail toMail(HeldMessage message) throws MessagingException {
        HeldMail held = message.mail();
        List<MailAddress> recipients = new ArrayList<>();
        for (String recipient : held.recipients()) {
            recipients.add(new MailAddress(recipient));
        }
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(message.content()));
        MailImpl.Builder mail = MailImpl.builder()
            .name("released-" + held.id() + "-" + System.nanoTime())
            .sender(sender(held))
            .addRecipients(recipients)
            .remoteAddr(held.remoteAddr().isEmpty() ? "127.0.0.1" : held.remoteAddr())
            .remoteHost(held.remoteHost().isEmpty() ? "localhost" : held.remoteHost())
            .mimeMessage(mime)
            .state(Mail.DEFAULT)
            .addAttribute(new Attribute(RELEASED_FROM, AttributeValue.of(held.id())));
        if (held.trustedClient()) {
            // As James's SMTP server marks a client in smtp.trusted-networks: the transport sends it outbound again.
            mail.addAttribute(SMTPIsAuthNetwork.makeAttribute(true));
        }
        return mail.build();
    }

    private static MaybeSender sender(HeldMail held) throws AddressException {
        return held.sender().isEmpty() ? MaybeSender.nullSender() : MaybeSender.of(new MailAddress(held.sender()));
    }

    HeldMailStore store() {
        return store;
    }

    /**
     * The held mail as the admin endpoint serves it: a release or delete is requested in the store exactly as the
     * CLI requests it, then carried out at once by the service (which audits it); the request itself is audited
     * with the caller's name first.
     */
    HeldMailAccess access(AuditPublisher audit, Clock clock) {
        return new HeldMailAccess() {
            @Override
            public HeldMailStore.Listing list() {
                return store.list();
            }

            @Override
            public HeldMessage open(String id) throws HeldMailException {
                return store.open(id);
            }

            @Override
            public Result release(String id, String caller) throws HeldMailException {
                return act(id, caller, HeldMailStore.Action.RELEASE);
            }

            @Override
            public Result delete(String id, String caller) throws HeldMailException {
                return act(id, caller, HeldMailStore.Action.DELETE);
            }

            private Result act(String id, String caller, HeldMailStore.Action action) throws HeldMailException {
                HeldMail mail = store.metadata(id);     // refuses an unknown or unreadable id first
                String verb = action == HeldMailStore.Action.RELEASE ? "release" : "delete";
                audit.publish(new AuditEvent(clock.instant(), mail.messageId(), "held", mail.sender(),
                    mail.recipients().stream().map(r -> new AuditEvent.RecipientOutcome(r, "none", "")).toList(),
                    verb + "-requested", "held mail " + id + " " + verb + " requested by " + caller
                        + " through the admin endpoint"));
                store.request(id, action);
                HeldMailService running = service;
                if (running != null) {
                    running.runOnce();
                }
                if (store.isRequested(id, action)) {
                    return new Result("requested", verb + " of " + id + " requested; the node retries it (see its log)");
                }
                boolean stillHeld;
                try {
                    store.metadata(id);
                    stillHeld = true;
                } catch (HeldMailException e) {
                    stillHeld = false;
                }
                if (action == HeldMailStore.Action.DELETE) {
                    return new Result("deleted", "deleted " + id);
                }
                return stillHeld
                    ? new Result("not-released", "not released " + id + ": the node could not open it (see its log and audit trail)")
                    : new Result("released", "released " + id + " (" + String.join(", ", mail.recipients())
                        + "): the policy decides it again; if it is held again it is listed under a new id");
            }
        };
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
    }
}
