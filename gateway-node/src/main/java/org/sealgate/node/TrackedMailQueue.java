package org.sealgate.node;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.mailet.Mail;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * James's queue with each enqueue, take and done recorded in the {@link MailTracker}. Records before it stores: a
 * consumer waiting on the queue can take a mail before {@code enQueue} returns.
 *
 * <p>Each consumer's dequeue runs on a thread of its own. James 3.8.1's JMS queue dequeues by a blocking
 * {@code receive(10 s)} repeated for as long as there is demand, on whichever thread asks for the next mail; the spooler and
 * RemoteDelivery ask from the worker that just finished a mail. When that worker also had the next mail's
 * processing queued behind it (every worker busy when the mail came), the receive loop kept the worker for good and
 * the mail sat taken and never processed until a restart. Asking from a thread of the consumer's own instead leaves
 * the workers free ({@code DequeueStarvationTest}).
 *
 * <p>{@link #stopTaking()} ends those receives before James closes the queue's connection: a receive cut by the close
 * makes James's queue log an error with a stack trace at every stop ({@code QueueStopTest}).
 */
final class TrackedMailQueue implements ManageableMailQueue {
    /**
     * What James's own {@code enQueue(mail)} passes on (-1 ms), without its way there: its default
     * {@code enQueue(mail, delay, unit)} computes the Duration through BigDecimal (~0.1 ms per mail).
     */
    private static final Duration NO_DELAY = Duration.ofMillis(-1);

    private final ManageableMailQueue delegate;
    private final MailTracker tracker;
    private final String queue;
    private final Set<Dequeuer> dequeuers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger dequeuerCount = new AtomicInteger();

    TrackedMailQueue(ManageableMailQueue delegate, MailTracker tracker) {
        this.delegate = delegate;
        this.tracker = tracker;
        this.queue = delegate.getName().asString();
    }

    @Override
    public MailQueueName getName() {
        return delegate.getName();
    }

    @Override
    public void enQueue(Mail mail, Duration delay) throws MailQueueException {
        tracker.enqueued(queue, mail.getName(), delay);
        try {
            delegate.enQueue(mail, delay);
        } catch (MailQueueException | RuntimeException e) {
            tracker.forget(queue, mail.getName());
            throw e;
        }
    }

    @Override
    public void enQueue(Mail mail, long delay, TimeUnit unit) throws MailQueueException {
        tracker.enqueued(queue, mail.getName(), Duration.ofMillis(Math.max(0, unit.toMillis(delay))));
        try {
            delegate.enQueue(mail, Duration.of(delay, unit.toChronoUnit()));
        } catch (MailQueueException | RuntimeException e) {
            tracker.forget(queue, mail.getName());
            throw e;
        }
    }

    @Override
    public void enQueue(Mail mail) throws MailQueueException {
        tracker.enqueued(queue, mail.getName(), Duration.ZERO);
        try {
            delegate.enQueue(mail, NO_DELAY);
        } catch (MailQueueException | RuntimeException e) {
            tracker.forget(queue, mail.getName());
            throw e;
        }
    }

    @Override
    public Publisher<Void> enqueueReactive(Mail mail) {
        return Mono.defer(() -> {
            tracker.enqueued(queue, mail.getName(), Duration.ZERO);
            return Mono.from(delegate.enqueueReactive(mail))
                .doOnError(e -> tracker.forget(queue, mail.getName()));
        });
    }

    @Override
    public Publisher<MailQueueItem> deQueue() {
        return Flux.defer(() -> {
            // A consumer that left keeps its dequeuer here until its thread ended: stopTaking waits for those too.
            dequeuers.removeIf(Dequeuer::ended);
            Dequeuer dequeuer = new Dequeuer(queue + "-" + dequeuerCount.incrementAndGet());
            dequeuers.add(dequeuer);
            // The receive that ends by our stop (interrupted) or after the consumer left errs; that is the end, not a
            // failure. subscribeOn also moves every later request (the consumer's "next mail, please") onto the thread.
            return Flux.from(delegate.deQueue())
                .onErrorResume(e -> dequeuer.stopped, e -> Flux.empty())
                .subscribeOn(dequeuer.scheduler, true)
                .map(this::taken)
                .doOnCancel(() -> dequeuer.stopped = true)
                .doFinally(signal -> dequeuer.stop());
        });
    }

    /**
     * Ends every consumer's dequeue: a waiting receive is interrupted (James's queue rolls its empty session back and
     * closes it) and the consumer's stream completes. Waits a bounded time for the threads, also those of consumers
     * that already left (James cancels its consumers first; their receive may still be ending). Mail already taken
     * is unaffected, mail not taken stays queued.
     */
    void stopTaking(Duration wait) {
        for (Dequeuer dequeuer : dequeuers) {
            dequeuer.stopped = true;
            dequeuer.stop();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        for (Dequeuer dequeuer : dequeuers) {
            dequeuer.awaitStopped(Math.max(0, deadline - System.nanoTime()));
        }
    }

    /** One consumer's dequeue thread. */
    private static final class Dequeuer {
        private final ExecutorService thread;
        private final Scheduler scheduler;
        private volatile boolean stopped;

        Dequeuer(String name) {
            thread = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "sealgate-dequeue-" + name);
                t.setDaemon(true);
                return t;
            });
            scheduler = Schedulers.fromExecutorService(thread, "sealgate-dequeue-" + name);
        }

        void stop() {
            thread.shutdownNow();
        }

        boolean ended() {
            return thread.isTerminated();
        }

        void awaitStopped(long nanos) {
            try {
                thread.awaitTermination(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private MailQueueItem taken(MailQueueItem item) {
        String name = item.getMail().getName();
        long seq = tracker.dequeued(queue, name);
        return new MailQueueItem() {
            @Override
            public Mail getMail() {
                return item.getMail();
            }

            @Override
            public void done(CompletionStatus status) throws MailQueueException {
                item.done(status);
                tracker.done(queue, name, seq, status == CompletionStatus.SUCCESS);
            }
        };
    }

    @Override
    public long getSize() throws MailQueueException {
        return delegate.getSize();
    }

    @Override
    public Publisher<Long> getSizeReactive() {
        return delegate.getSizeReactive();
    }

    @Override
    public long flush() throws MailQueueException {
        long flushed = delegate.flush();
        tracker.flushed(queue);
        return flushed;
    }

    @Override
    public long clear() throws MailQueueException {
        long cleared = delegate.clear();
        tracker.forgetQueue(queue);
        return cleared;
    }

    @Override
    public long remove(Type type, String value) throws MailQueueException {
        long removed = delegate.remove(type, value);
        if (type == Type.Name) {
            tracker.forget(queue, value);
        }
        return removed;
    }

    @Override
    public MailQueueIterator browse() throws MailQueueException {
        return delegate.browse();
    }

    @Override
    public void close() throws java.io.IOException {
        delegate.close();
    }
}
