package org.sealgate.mailets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.policy.OwnMarks;
import org.sealgate.policy.PolicyProvider;

/**
 * Removes what only the gateway may say: every {@code X-Sealgate-*} header field in any letter case and, with
 * {@code subjectTags} on, every tag of {@link OwnMarks#BUILT_IN_TAGS}, of {@code tags} (separated by {@code |}) and
 * of each recipient's policy (tag-valid, tag-invalid, the trigger keywords) from the subject. Anything removed is
 * recorded as the audit step {@code forged-marks-removed}. Outbound mail keeps its subject (the triggers there are
 * the sender's commands): use {@code subjectTags} false in the transport processor.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.RemoveForgedMarks">
 *     <subjectTags>true</subjectTags>
 *     <tags>[signed OK]|[signed INVALID]</tags>
 * </mailet>
 * }</pre>
 */
public class RemoveForgedMarks extends GenericMailet {
    static final String AUDIT_STEP = "forged-marks-removed";

    private final PolicyProvider policy;
    private boolean subjectTags;
    private List<String> tags;

    @Inject
    public RemoveForgedMarks(PolicyProvider policy) {
        this.policy = policy;
    }

    /** The built-in and configured tags only, no policy. */
    public RemoveForgedMarks() {
        this(PolicyProvider.builtIn());
    }

    @Override
    public void init() throws MessagingException {
        subjectTags = InitParameters.bool(this, "subjectTags", false);
        tags = new ArrayList<>(OwnMarks.parseTags(getInitParameter("tags", "")));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        boolean removed = !OwnMarks.removeMarkerHeaders(message).isEmpty();
        if (removed) {
            message.saveChanges();
            AuditTrail.recordStep(mail, AUDIT_STEP, Map.of());
        }
        if (subjectTags && stripSubjectTags(mail, message, tags, policy)) {
            message.saveChanges();
        }
    }

    /**
     * Strips the built-in tags, {@code configured} and the recipients' policy tags from the subject of
     * {@code shown} (not saved) and records the audit step when something went. Also for the decrypting and
     * verifying mailets: a Subject from inside decrypted or signed content becomes visible only there.
     *
     * @return true when the subject changed
     */
    static boolean stripSubjectTags(Mail mail, MimeMessage shown, Collection<String> configured, PolicyProvider policy)
            throws MessagingException {
        Set<String> all = new LinkedHashSet<>(OwnMarks.BUILT_IN_TAGS);
        all.addAll(configured);
        for (MailAddress recipient : mail.getRecipients()) {
            all.addAll(OwnMarks.tagsOf(policy.settingsFor(recipient.asString())));
        }
        String subject = shown.getSubject();
        String stripped = OwnMarks.stripTags(subject, all);
        if (subject == null || subject.equals(stripped)) {
            return false;
        }
        shown.setSubject(stripped, "UTF-8");
        AuditTrail.recordStep(mail, AUDIT_STEP, Map.of());
        return true;
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate: removes forged X-Sealgate-* fields and subject tags";
    }
}
