package org.sealgate.node;

import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.sealgate.smtp.BoundedSmtpServerFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * James's SMTP servers with read backpressure ({@link org.sealgate.smtp.BoundedSmtpServer}): a fast sender can no
 * longer fill the heap with queued lines. Overrides James's binding of its SMTP server factory.
 */
final class BoundedSmtpModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(SMTPServerFactory.class).to(BoundedSmtpServerFactory.class);
        bind(BoundedSmtpServerFactory.class).in(Scopes.SINGLETON);
    }
}
