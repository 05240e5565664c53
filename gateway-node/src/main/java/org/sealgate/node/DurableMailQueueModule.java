package org.sealgate.node;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.ManageableMailQueue;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;

/**
 * Binds James's own ActiveMQ mail queue (embedded broker, KahaDB journal under {@code var/store/activemq}) in place
 * of the in-memory queue, so a mail that got {@code 250 OK} survives a crash of the node. James publishes the
 * queue but not a Guice module for it in 3.8.1, hence this small one. The broker is ours ({@link QueueBroker}, a
 * safer policy than James's {@code EmbeddedActiveMQ}) and every queue is watched for stuck mails
 * ({@link QueueRuntime}).
 */
final class DurableMailQueueModule extends AbstractModule {
    private final StuckMailCounts stuck;

    DurableMailQueueModule(StuckMailCounts stuck) {
        this.stuck = stuck;
    }

    @Override
    protected void configure() {
        bind(StuckMailCounts.class).toInstance(stuck);
        // Constructed by Guice so James's stop runs its @PreDestroy.
        bind(QueueRuntime.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends ManageableMailQueue> manageableQueues(QueueRuntime runtime) {
        return runtime.queues();
    }

    @Provides
    @Singleton
    MailQueueFactory<?> queues(QueueRuntime runtime) {
        return runtime.queues();
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends MailQueue> typedQueues(QueueRuntime runtime) {
        return runtime.queues();
    }
}
