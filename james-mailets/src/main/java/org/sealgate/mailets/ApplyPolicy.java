package org.sealgate.mailets;

import java.io.UnsupportedEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.keys.Fingerprints;
import org.sealgate.policy.MailDecision;
import org.sealgate.policy.Method;
import org.sealgate.policy.PolicyEngine;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.policy.RecipientKeys;
import org.sealgate.policy.SenderTriggers;

/**
 * Runs the policy engine once for an outbound mail: decides every recipient's outcome (smime, pgp, gina, tls,
 * plain, bounce, hold), stores the decisions in a mail attribute for {@link org.sealgate.matchers.PolicyChooses}
 * and the audit trail, removes the sender's triggers (subject keywords, {@code X-Sealgate-Encrypt}) and, when the
 * sender's policy has {@code debug-header = true}, adds {@code X-Sealgate-Policy-Debug} with every decision.
 * The {@code X-Sealgate-Encrypt} value is taken only from the attribute {@link CaptureEncryptHeader} set for
 * trusted clients in the transport processor; such a header in the mail itself is never believed.
 * A recipient without a usable key whose policy names {@code key-discovery} sources is looked up there first,
 * within the node's bound ({@link RecipientDiscovery}); the decision's reason says what each source did.
 * The key selected for each recipient is carried to the encryption mailets in {@link SelectedKeys#ATTRIBUTE}.
 * While the node has no policy it can trust ({@link PolicyProvider#unavailable()}), nothing is decided: the mail
 * goes to {@code unavailableProcessor} (default {@code quarantine}) with the cause as its reason.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.ApplyPolicy">
 *     <unavailableProcessor>quarantine</unavailableProcessor>
 * </mailet>
 * }</pre>
 */
public class ApplyPolicy extends GenericMailet {
    public static final String DEBUG_HEADER = "X-Sealgate-Policy-Debug";

    private final PolicyProvider policy;
    private final RecipientCertificates certificates;
    private final RecipientPgpKeys pgpKeys;
    private final RecipientDiscovery discovery;
    private String unavailableProcessor;

    public ApplyPolicy(PolicyProvider policy, RecipientCertificates certificates, RecipientPgpKeys pgpKeys) {
        this(policy, certificates, pgpKeys, RecipientDiscovery.OFF);
    }

    @Inject
    public ApplyPolicy(PolicyProvider policy, RecipientCertificates certificates, RecipientPgpKeys pgpKeys,
                       RecipientDiscovery discovery) {
        this.policy = policy;
        this.certificates = certificates;
        this.pgpKeys = pgpKeys;
        this.discovery = discovery;
    }

    /**
     * The engine's view of the key stores for one mail. A recipient without a usable key for any of its methods is
     * looked up at the outside sources its policy names, at most once per mail (so one recipient never costs two
     * bounds); what was found is then selected like any stored key and the note says why in the audit event.
     * Each recipient's selection is made once per method (kept for this mail) and recorded for the encryption
     * mailets ({@link SelectedKeys}), which then do not select again.
     */
    private RecipientKeys keysForOneMail(SelectedKeys.Recorder recorder) {
        Map<String, String> notes = new HashMap<>();
        Set<String> told = new HashSet<>();
        Map<String, RecipientCertificates.Selection> smimeSelections = new HashMap<>();
        Map<String, RecipientPgpKeys.Selection> pgpSelections = new HashMap<>();
        // One bound for the whole mail, not per recipient: ten unknown recipients must not hold it ten times as long.
        Instant[] deadline = new Instant[1];
        return new RecipientKeys() {
            @Override
            public Check smime(String address) {
                RecipientCertificates.Selection selection = smimeSelection(address);
                if (selection.usable()) {
                    // Found by this mail's look-up for another method (a source may answer in either key world).
                    return Check.usable(notes.getOrDefault(address, ""));
                }
                String note = discoverOnce(address);
                if (note.isEmpty()) {
                    return Check.unusable(selection.reason());
                }
                smimeSelections.remove(address);   // the look-up may have stored a key: select again once
                selection = smimeSelection(address);
                return selection.usable() ? Check.usable(note) : Check.unusable(selection.reason() + once(address, note));
            }

            @Override
            public Check pgp(String address) {
                RecipientPgpKeys.Selection selection = pgpSelection(address);
                if (selection.usable()) {
                    // Found by this mail's look-up for another method (a source may answer in either key world).
                    return Check.usable(notes.getOrDefault(address, ""));
                }
                String note = discoverOnce(address);
                if (note.isEmpty()) {
                    return Check.unusable(selection.reason());
                }
                pgpSelections.remove(address);
                selection = pgpSelection(address);
                return selection.usable() ? Check.usable(note) : Check.unusable(selection.reason() + once(address, note));
            }

            private RecipientCertificates.Selection smimeSelection(String address) {
                return smimeSelections.computeIfAbsent(address, a -> {
                    RecipientCertificates.Selection selection = certificates.select(a);
                    if (selection.usable()) {
                        recorder.selected(SelectedKeys.Kind.SMIME, a, Fingerprints.sha256(selection.certificate().get()),
                            selection.note());
                    } else {
                        recorder.forget(SelectedKeys.Kind.SMIME, a);
                    }
                    return selection;
                });
            }

            private RecipientPgpKeys.Selection pgpSelection(String address) {
                return pgpSelections.computeIfAbsent(address, a -> {
                    RecipientPgpKeys.Selection selection = pgpKeys.select(a);
                    if (selection.usable()) {
                        recorder.selected(SelectedKeys.Kind.PGP, a, selection.key().get().fingerprint(), "");
                    } else {
                        recorder.forget(SelectedKeys.Kind.PGP, a);
                    }
                    return selection;
                });
            }

            /** The discovery note in the first miss of a recipient only (the reason lists every method's miss). */
            private String once(String address, String note) {
                return told.add(address) ? "; " + note : "";
            }

            private String discoverOnce(String address) {
                return notes.computeIfAbsent(address, a -> {
                    if (hasUsableKey(a)) {
                        return "";
                    }
                    if (deadline[0] == null) {
                        deadline[0] = Instant.now().plus(discovery.bound());
                    }
                    return discovery.discover(a, Duration.between(Instant.now(), deadline[0]));
                });
            }

            /** Any usable key for one of the recipient's methods: then discovery is not needed. */
            private boolean hasUsableKey(String address) {
                if (!discovery.enabledFor(address)) {
                    return true;
                }
                List<Method> methods = policy.settingsFor(address).methods();
                return methods.contains(Method.SMIME) && smimeSelection(address).usable()
                    || methods.contains(Method.PGP) && pgpSelection(address).usable();
            }
        };
    }

    @Override
    public void init() throws MessagingException {
        unavailableProcessor = getInitParameter("unavailableProcessor", "quarantine").trim();
        if (unavailableProcessor.isEmpty()) {
            throw new MessagingException("ApplyPolicy: 'unavailableProcessor' must name a processor");
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        SelectedKeys.clear(mail);   // only this run's selection may ever be carried
        Optional<String> unavailable = policy.unavailable();
        if (unavailable.isPresent()) {
            // Never the built-in defaults: they could send in clear what the real policy encrypts.
            AuditTrail.recordReason(mail, "no policy in force: " + unavailable.get());
            mail.setState(unavailableProcessor);
            return;
        }
        MimeMessage message = mail.getMessage();
        Optional<String> header = PolicyAttributes.string(mail, PolicyAttributes.ENCRYPT_HEADER);
        List<String> recipients = mail.getRecipients().stream().map(MailAddress::asString).toList();
        String subject = message.getSubject();
        SelectedKeys.Recorder selected = new SelectedKeys.Recorder();
        MailDecision decision = new PolicyEngine(policy, keysForOneMail(selected)).decide(Senders.sender(mail).orElse(""), subject, header, recipients);
        PolicyAttributes.store(mail, decision);
        selected.store(mail, Instant.now());
        mail.removeAttribute(PolicyAttributes.ENCRYPT_HEADER);
        header.ifPresent(value -> mail.setAttribute(new org.apache.mailet.Attribute(PolicyAttributes.ENCRYPT_HEADER_DECIDED,
            org.apache.mailet.AttributeValue.of(value))));

        boolean changed = false;
        if (subject != null && !decision.triggers().subject().equals(subject)) {
            message.setSubject(decision.triggers().subject(), "UTF-8");
            changed = true;
        }
        if (message.getHeader(SenderTriggers.HEADER) != null) {
            message.removeHeader(SenderTriggers.HEADER);
            changed = true;
        }
        if (decision.debugHeader()) {
            message.setHeader(DEBUG_HEADER, MimeUtility.fold(DEBUG_HEADER.length() + 2, headerText(decision.summary())));
            changed = true;
        }
        if (changed) {
            mail.setMessage(message);
        }
    }

    private static String headerText(String text) {
        try {
            return MimeUtility.encodeText(text, "UTF-8", null);
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate policy engine";
    }
}
