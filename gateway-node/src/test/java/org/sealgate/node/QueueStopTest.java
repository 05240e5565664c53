package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.james.queue.api.MailQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sealgate.testing.MutableClock;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Stopping the node while its consumers wait on the queue: the waiting receives end before James closes the queue's
 * connection, so a SIGTERM on an idle node logs no error and no stack trace, and a queued mail stays queued.
 */
class QueueStopTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private QueueFixture queue;
    private Disposable consumer;

    @AfterEach
    void close() {
        root.detachAppender(log);
        if (consumer != null) {
            consumer.dispose();
        }
        if (queue != null) {
            queue.close();
        }
    }

    @Test
    void stopShouldEndAWaitingDequeueWithoutAnError() throws Exception {
        queue = new QueueFixture(dir, clock);
        AtomicBoolean completed = new AtomicBoolean();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        consumer = consumeAsJamesDoes(completed, errors, new CopyOnWriteArrayList<>());
        awaitDequeueWaiting();
        log.start();
        root.addAppender(log);

        queue.close();
        queue = null;

        assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
            .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(errors).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(completed);
    }

    @Test
    void stopRightAfterTheConsumerLeftShouldLogNoError() throws Exception {
        // James's own stop cancels the spooler and RemoteDelivery first; their receives are still ending.
        queue = new QueueFixture(dir, clock);
        consumer = consumeAsJamesDoes(new AtomicBoolean(), new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        awaitDequeueWaiting();
        log.start();
        root.addAppender(log);

        consumer.dispose();
        queue.close();
        queue = null;

        assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
            .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @Test
    void mailQueuedAtStopShouldBeTakenOnceAfterTheRestart() throws Exception {
        queue = new QueueFixture(dir, clock);
        queue.outgoing().enQueue(QueueFixture.mail("queued"));
        queue.restart();
        List<String> processed = new CopyOnWriteArrayList<>();
        consumer = consumeAsJamesDoes(new AtomicBoolean(), new CopyOnWriteArrayList<>(), processed);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed.contains("queued"));
        awaitDequeueWaiting();

        queue.close();
        queue = null;
        queue = new QueueFixture(dir, clock);
        assertThat(queue.outgoing().getSize()).isZero();
    }

    private Disposable consumeAsJamesDoes(AtomicBoolean completed, List<Throwable> errors, List<String> processed) {
        return Flux.from(queue.outgoing().deQueue())
            .flatMap(item -> Mono.fromCallable(() -> {
                processed.add(item.getMail().getName());
                item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
                return item;
            }).subscribeOn(Schedulers.boundedElastic()), 4)
            .subscribeOn(Schedulers.boundedElastic())
            .subscribe(item -> { }, errors::add, () -> completed.set(true));
    }

    /** The consumer's thread is inside the queue's blocking receive. */
    private static void awaitDequeueWaiting() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().entrySet().stream()
            .anyMatch(e -> e.getKey().getName().startsWith("sealgate-dequeue-outgoing")
                && List.of(e.getValue()).stream().anyMatch(f -> f.getMethodName().equals("receive"))));
    }
}
