package org.sealgate.mailets;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.sealgate.budget.MailMemoryBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link MailMemoryBudget} as the whole-message mailets use it: reserve the mail's weight before the
 * work, release it after (try-with-resources). A mail that cannot get its reservation within the budget's wait is
 * routed to the mailet's {@code busyProcessor} (default {@code quarantine}: held, never lost) with the reason in its
 * audit event; the node stays up.
 */
final class MemoryReservation {
    static final String BUSY_PROCESSOR = "busyProcessor";
    static final String DEFAULT_BUSY_PROCESSOR = "quarantine";
    private static final Logger LOGGER = LoggerFactory.getLogger(MemoryReservation.class);

    private MemoryReservation() {
    }

    /**
     * The reservation for {@code mail}, or null when the wait timed out (the mail is then routed to
     * {@code busyProcessor}, and the caller returns at once).
     */
    static MailMemoryBudget.Reservation reserve(MailMemoryBudget budget, Mail mail, String step, String busyProcessor)
            throws MessagingException {
        long size = mail.getMessageSize();
        try {
            MailMemoryBudget.Reservation reservation = budget.reserve(size).orElse(null);
            if (reservation == null) {
                String reason = step + ": node memory budget busy (waited " + budget.maxWait().toSeconds()
                    + " s for " + size / 1024 + " KB of mail to be processed); held for a retry";
                LOGGER.warn("Mail {}: {}", mail.getName(), reason);
                AuditTrail.recordReason(mail, reason);
                mail.setState(busyProcessor);
            }
            return reservation;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException(step + ": interrupted while waiting for the node memory budget", e);
        }
    }
}
