package org.sealgate.node;

import java.util.List;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.mailetcontainer.api.MailProcessor;
import org.apache.james.mailetcontainer.api.MailetLoader;
import org.apache.james.mailetcontainer.api.MatcherLoader;
import org.apache.james.mailetcontainer.impl.CompositeProcessorImpl;
import org.apache.james.utils.GuiceMailetLoader;
import org.apache.james.utils.GuiceMatcherLoader;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.MailetConfig;
import org.apache.mailet.Matcher;
import org.apache.mailet.MatcherConfig;
import org.sealgate.mailets.MailGuard;

import com.google.inject.AbstractModule;

/**
 * No Error (and no RuntimeException) escapes the mail pipeline into James's spooler, which would neither complete
 * nor retry the queue item (the mail stays stranded with a spool slot until the next restart, then comes back):
 * James's own mailet and matcher loaders, with every Sealgate mailet and matcher they load wrapped in
 * {@link MailGuard}, and the spooler's processor wrapped the same way for failures inside James's own mailets.
 * Overrides James's bindings.
 */
final class MailGuardModule extends AbstractModule {
    /** Quarantine, then error, then James's bounded retries: a failing mail is passed on at most this often. */
    private static final int MAX_PASSES = 3;

    @Override
    protected void configure() {
        bind(MailetLoader.class).to(GuardingMailetLoader.class);
        bind(MatcherLoader.class).to(GuardingMatcherLoader.class);
        bind(MailProcessor.class).to(GuardingMailProcessor.class);
    }

    static final class GuardingMailProcessor implements MailProcessor {
        private final MailProcessor processors;

        @Inject
        GuardingMailProcessor(CompositeProcessorImpl processors) {
            this((MailProcessor) processors);
        }

        /** Routes by the mail's state, as James's composite processor does. */
        GuardingMailProcessor(MailProcessor processors) {
            this.processors = processors;
        }

        @Override
        public void service(Mail mail) throws MessagingException {
            List<MailAddress> recipients = List.copyOf(mail.getRecipients());
            for (int pass = 1; ; pass++) {
                try {
                    processors.service(mail);
                    return;
                } catch (RuntimeException | Error e) {
                    if (pass == MAX_PASSES) {
                        throw new MessagingException("mail " + mail.getName() + " failed " + pass + " times: " + e);
                    }
                    // Whole again: a matcher may have split recipients off before the failure.
                    mail.setRecipients(recipients);
                    MailGuard.contain(mail, e, "processor " + mail.getState());
                }
            }
        }
    }

    static final class GuardingMailetLoader implements MailetLoader {
        private final GuiceMailetLoader loader;

        @Inject
        GuardingMailetLoader(GuiceMailetLoader loader) {
            this.loader = loader;
        }

        @Override
        public Mailet getMailet(MailetConfig config) throws MessagingException {
            return MailGuard.guard(loader.getMailet(config));
        }
    }

    static final class GuardingMatcherLoader implements MatcherLoader {
        private final GuiceMatcherLoader loader;

        @Inject
        GuardingMatcherLoader(GuiceMatcherLoader loader) {
            this.loader = loader;
        }

        @Override
        public Matcher getMatcher(MatcherConfig config) throws MessagingException {
            return MailGuard.guard(loader.getMatcher(config));
        }
    }
}
