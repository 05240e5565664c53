package org.sealgate.mailets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;

/**
 * Splits a mail whose recipients need different treatment: the first group stays in the mail being processed,
 * every other group becomes a copy re-queued (durably) to a processor that will treat it on its own.
 */
final class RecipientGroups {
    private RecipientGroups() {
    }

    static <K> Map<K, List<MailAddress>> group(Collection<MailAddress> recipients, Function<MailAddress, K> classifier) {
        Map<K, List<MailAddress>> groups = new LinkedHashMap<>();
        for (MailAddress recipient : recipients) {
            groups.computeIfAbsent(classifier.apply(recipient), k -> new ArrayList<>()).add(recipient);
        }
        return groups;
    }

    /**
     * Keeps the first group in {@code mail} and sends a copy per other group to {@code state}.
     *
     * @return the key of the group left in {@code mail}
     */
    static <K> K keepFirstAndRequeueOthers(Mail mail, Map<K, List<MailAddress>> groups, MailetContext context,
                                           String state) throws MessagingException {
        K first = null;
        for (Map.Entry<K, List<MailAddress>> group : groups.entrySet()) {
            if (first == null) {
                first = group.getKey();
                continue;
            }
            Mail copy = mail.duplicate();
            copy.setRecipients(group.getValue());
            context.sendMail(copy, state);
        }
        if (first == null) {
            throw new IllegalArgumentException("no recipients to group");
        }
        mail.setRecipients(groups.get(first));
        return first;
    }
}
