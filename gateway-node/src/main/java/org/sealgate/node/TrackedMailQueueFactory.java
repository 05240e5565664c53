package org.sealgate.node;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;

/**
 * James's queue factory, each queue wrapped in a {@link TrackedMailQueue}: the spooler, RemoteDelivery (and its
 * retries) and Sealgate all get their queues here, so every enqueue and take is recorded.
 */
final class TrackedMailQueueFactory implements MailQueueFactory<ManageableMailQueue> {
    private final MailQueueFactory<? extends ManageableMailQueue> delegate;
    private final MailTracker tracker;
    private final Map<MailQueueName, TrackedMailQueue> queues = new ConcurrentHashMap<>();

    TrackedMailQueueFactory(MailQueueFactory<? extends ManageableMailQueue> delegate, MailTracker tracker) {
        this.delegate = delegate;
        this.tracker = tracker;
    }

    @Override
    public Optional<ManageableMailQueue> getQueue(MailQueueName name, PrefetchCount count) {
        return delegate.getQueue(name, count).map(this::tracked);
    }

    @Override
    public ManageableMailQueue createQueue(MailQueueName name, PrefetchCount count) {
        return tracked(delegate.createQueue(name, count));
    }

    @Override
    public Set<MailQueueName> listCreatedMailQueues() {
        return delegate.listCreatedMailQueues();
    }

    /** Ends every consumer's dequeue before the queues close ({@link TrackedMailQueue#stopTaking}). */
    void stopTaking(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (TrackedMailQueue queue : queues.values()) {
            queue.stopTaking(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    private ManageableMailQueue tracked(ManageableMailQueue queue) {
        return queues.computeIfAbsent(queue.getName(), n -> new TrackedMailQueue(queue, tracker));
    }
}
