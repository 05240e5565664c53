package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.james.queue.api.MailQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.MutableClock;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A mail the consumer took while all its workers were busy must still be processed. Reproduces, with James's real
 * JMS queue and a consumer wired as James 3.8.1's spooler and RemoteDelivery are (blocking dequeue, flatMap onto a
 * bounded worker pool), the hand-over that stranded mail in benchmark runs: the worker that finishes a mail asks
 * for the next one and, on James's queue alone, stays in the queue's receive loop while the next mail's processing
 * waits behind it.
 */
class DequeueStarvationTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private QueueFixture queue;
    private Disposable consumer;
    private Scheduler workers;
    private Scheduler dequeueCaller;

    @AfterEach
    void close() {
        if (consumer != null) {
            consumer.dispose();
        }
        if (workers != null) {
            workers.dispose();
        }
        if (dequeueCaller != null) {
            dequeueCaller.dispose();
        }
        if (queue != null) {
            queue.close();
        }
    }

    @Test
    void mailTakenWhileEveryWorkerIsBusyShouldBeProcessedWhenAWorkerFrees() throws Exception {
        queue = new QueueFixture(dir, clock);
        // One worker, two mails in flight: the second mail's processing must queue behind the first.
        workers = Schedulers.newBoundedElastic(1, 1000, "test-spooler");
        dequeueCaller = Schedulers.newBoundedElastic(1, 1000, "test-queue-scheduler");
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<String> taken = new CopyOnWriteArrayList<>();
        List<String> processed = new CopyOnWriteArrayList<>();
        consumer = Flux.from(queue.outgoing().deQueue())
            .doOnNext(item -> taken.add(item.getMail().getName()))
            .flatMap(item -> Mono.fromRunnable(() -> {
                String name = item.getMail().getName();
                if (name.equals("first")) {
                    firstStarted.countDown();
                    await(releaseFirst);
                }
                processed.add(name);
                try {
                    item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
                } catch (MailQueue.MailQueueException e) {
                    throw new IllegalStateException(e);
                }
            }).subscribeOn(workers), 2)
            .subscribeOn(dequeueCaller)
            .subscribe();

        queue.outgoing().enQueue(QueueFixture.mail("first"));
        assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        // The second is taken and waits for the one worker; the third is received while nothing more is asked for,
        // so it is handed over by the worker's own request when the first is done.
        queue.outgoing().enQueue(QueueFixture.mail("second"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> taken.contains("second"));
        queue.outgoing().enQueue(QueueFixture.mail("third"));
        Awaitility.await().atMost(Duration.ofSeconds(30))
            .until(() -> queue.brokerQueue("outgoing").getDestinationStatistics().getInflight().getCount() == 3);
        releaseFirst.countDown();

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed.size() == 3);
        assertThat(processed).containsExactly("first", "second", "third");
        assertThat(queue.tracker.unfinished(10)).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
