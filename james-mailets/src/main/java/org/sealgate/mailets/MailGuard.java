package org.sealgate.mailets;

import java.util.Collection;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.MailetConfig;
import org.apache.mailet.Matcher;
import org.apache.mailet.MatcherConfig;
import org.apache.mailet.ProcessingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what goes wrong inside one mailet or matcher with the one mail. James 3.8 catches only {@code Exception}
 * around a mailet: an {@link Error} (a {@link StackOverflowError} from a deeply nested mail, an
 * {@link OutOfMemoryError}) leaves the spool thread's task without completing its queue item, which strands the
 * mail and one spooler slot until restart, and the mail comes back after the restart to do it again. The node's
 * mailet and matcher loaders wrap every Sealgate mailet and matcher in this guard: an Error or a RuntimeException
 * sends the mail to {@code quarantine} with the reason. A failure inside {@code quarantine} goes to {@code error};
 * inside {@code error} it becomes a MessagingException, which James retries a bounded number of times, then stores
 * in the error repository. James's own mailets and matchers stay unwrapped (James checks some of them by class at
 * start, and its composite matchers by type): the node guards the whole processing of a mail the same way, one
 * level up, for failures inside them.
 */
public final class MailGuard {
    public static final String QUARANTINE = "quarantine";
    private static final Logger LOGGER = LoggerFactory.getLogger(MailGuard.class);
    private static final int LOGGED_FRAMES = 12;

    private MailGuard() {
    }

    /** Sealgate's mailets only; others are returned as they are. */
    public static Mailet guard(Mailet mailet) {
        return isOurs(mailet.getClass()) ? new GuardedMailet(mailet) : mailet;
    }

    /** Sealgate's matchers only; others are returned as they are. */
    public static Matcher guard(Matcher matcher) {
        return isOurs(matcher.getClass()) ? new GuardedMatcher(matcher) : matcher;
    }

    static boolean isOurs(Class<?> type) {
        return type.getName().startsWith("org.sealgate.");
    }

    /**
     * Routes the mail away from the failure: to {@code quarantine}, from there to {@code error}; throws a
     * MessagingException when it already is in {@code error} (nowhere safer to go).
     */
    public static void contain(Mail mail, Throwable failure, String where) throws MessagingException {
        String state = mail.getState();
        String reason = "internal failure in " + where + ": " + failure.getClass().getSimpleName()
            + (failure instanceof StackOverflowError || failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")");
        LOGGER.error("{} on mail {} in processor {}; the mail is held. Top of the stack: {}", reason, mail.getName(), state,
            topFrames(failure));
        if (Mail.ERROR.equals(state)) {
            throw new MessagingException(reason);
        }
        AuditTrail.recordReason(mail, reason);
        mail.setState(QUARANTINE.equals(state) ? Mail.ERROR : QUARANTINE);
    }

    private static String topFrames(Throwable failure) {
        StackTraceElement[] frames = failure.getStackTrace();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(frames.length, LOGGED_FRAMES); i++) {
            out.append("\n    at ").append(frames[i]);
        }
        return out.toString();
    }

    private static final class GuardedMailet implements Mailet {
        private final Mailet mailet;

        GuardedMailet(Mailet mailet) {
            this.mailet = mailet;
        }

        @Override
        public void init(MailetConfig config) throws MessagingException {
            mailet.init(config);
        }

        @Override
        public void service(Mail mail) throws MessagingException {
            try {
                mailet.service(mail);
            } catch (RuntimeException | Error e) {
                contain(mail, e, mailet.getClass().getSimpleName());
            }
        }

        @Override
        public void destroy() {
            mailet.destroy();
        }

        @Override
        public MailetConfig getMailetConfig() {
            return mailet.getMailetConfig();
        }

        @Override
        public String getMailetInfo() {
            return mailet.getMailetInfo();
        }

        @Override
        public Collection<ProcessingState> requiredProcessingState() {
            return mailet.requiredProcessingState();
        }

        @Override
        public String toString() {
            return mailet.toString();
        }
    }

    private static final class GuardedMatcher implements Matcher {
        private final Matcher matcher;

        GuardedMatcher(Matcher matcher) {
            this.matcher = matcher;
        }

        @Override
        public void init(MatcherConfig config) throws MessagingException {
            matcher.init(config);
        }

        @Override
        public Collection<MailAddress> match(Mail mail) throws MessagingException {
            try {
                return matcher.match(mail);
            } catch (RuntimeException | Error e) {
                // James sends a mail whose state a matcher changed to that processor; matching none keeps it whole.
                contain(mail, e, matcher.getClass().getSimpleName());
                return List.of();
            }
        }

        @Override
        public void destroy() {
            matcher.destroy();
        }

        @Override
        public MatcherConfig getMatcherConfig() {
            return matcher.getMatcherConfig();
        }

        @Override
        public String getMatcherInfo() {
            return matcher.getMatcherInfo();
        }
    }
}
