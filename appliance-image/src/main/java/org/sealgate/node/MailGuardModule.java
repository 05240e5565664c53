package org.sealgate.node;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.mailetcontainer.api.MailetLoader;
import org.apache.james.mailetcontainer.api.MatcherLoader;
import org.apache.james.utils.GuiceMailetLoader;
import org.apache.james.utils.GuiceMatcherLoader;
import org.apache.mailet.Mailet;
import org.apache.mailet.MailetConfig;
import org.apache.mailet.Matcher;
import org.apache.mailet.MatcherConfig;
import org.sealgate.mailets.MailGuard;

import com.google.inject.AbstractModule;

/**
 * James's own mailet and matcher loaders, with every Sealgate mailet and matcher they load wrapped in
 * {@link MailGuard}: no Error escapes one of them into the spooler. Overrides James's bindings.
 */
final class MailGuardModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(MailetLoader.class).to(GuardingMailetLoader.class);
        bind(MatcherLoader.class).to(GuardingMatcherLoader.class);
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
