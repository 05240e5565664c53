package org.sealgate.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MailMemoryBudgetTest {
    private static final long MB = 1L << 20;
    private final ExecutorService waiters = Executors.newCachedThreadPool();

    @AfterEach
    void stopWaiters() throws InterruptedException {
        waiters.shutdownNow();
        assertThat(waiters.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void reservationShouldWeighTheMailAndReleaseOnClose() throws Exception {
        MailMemoryBudget budget = MailMemoryBudgets.of(100 * MB, 4, Duration.ofSeconds(5));

        MailMemoryBudget.Reservation reservation = budget.reserve(10 * MB).orElseThrow();

        assertThat(reservation.bytes()).isEqualTo(40 * MB);
        assertThat(budget.reservedBytes()).isEqualTo(40 * MB);
        reservation.close();
        reservation.close();
        assertThat(budget.reservedBytes()).isZero();
    }

    @Test
    void secondMailShouldWaitUntilTheFirstReleases() throws Exception {
        MailMemoryBudget budget = MailMemoryBudgets.of(100 * MB, 4, Duration.ofSeconds(30));
        MailMemoryBudget.Reservation first = budget.reserve(20 * MB).orElseThrow();

        Future<Optional<MailMemoryBudget.Reservation>> second = waiters.submit(() -> budget.reserve(20 * MB));
        Thread.sleep(200);
        assertThat(second).isNotDone();

        first.close();
        MailMemoryBudget.Reservation granted = second.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(budget.reservedBytes()).isEqualTo(80 * MB);
        granted.close();
    }

    @Test
    void mailHeavierThanTheWholeBudgetShouldRunAloneNotBeRefused() throws Exception {
        MailMemoryBudget budget = MailMemoryBudgets.of(100 * MB, 6, Duration.ofSeconds(30));
        MailMemoryBudget.Reservation small = budget.reserve(MB).orElseThrow();

        Future<Optional<MailMemoryBudget.Reservation>> huge = waiters.submit(() -> budget.reserve(500 * MB));
        Thread.sleep(200);
        assertThat(huge).isNotDone();
        small.close();

        MailMemoryBudget.Reservation alone = huge.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(alone.bytes()).isEqualTo(100 * MB);
        // While it runs nothing else does, not even the smallest mail.
        Future<Optional<MailMemoryBudget.Reservation>> next = waiters.submit(() -> budget.reserve(1));
        Thread.sleep(200);
        assertThat(next).isNotDone();
        alone.close();
        next.get(10, TimeUnit.SECONDS).orElseThrow().close();
    }

    @Test
    void waitShouldEndInARefusalAfterMaxWaitNotBlockForever() throws Exception {
        MailMemoryBudget budget = MailMemoryBudgets.of(100 * MB, 10, Duration.ofMillis(300));
        MailMemoryBudget.Reservation first = budget.reserve(10 * MB).orElseThrow();

        long started = System.nanoTime();
        Optional<MailMemoryBudget.Reservation> refused = budget.reserve(MB);

        assertThat(refused).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(budget.reservedBytes()).isEqualTo(100 * MB);
        first.close();
        // The refused waiter's turn is not left blocking the queue.
        budget.reserve(MB).orElseThrow().close();
    }

    @Test
    void waiterThatGaveUpShouldNotBlockTheOnesBehindIt() throws Exception {
        MailMemoryBudget budget = MailMemoryBudgets.of(100 * MB, 1, Duration.ofMillis(500));
        MailMemoryBudget.Reservation first = budget.reserve(90 * MB).orElseThrow();
        CompletableFuture<Optional<MailMemoryBudget.Reservation>> big =
            CompletableFuture.supplyAsync(() -> reserve(budget, 50 * MB), waiters);
        Thread.sleep(100);
        Future<Optional<MailMemoryBudget.Reservation>> small = waiters.submit(() -> budget.reserve(5 * MB));

        assertThat(big.get(10, TimeUnit.SECONDS)).isEmpty();
        // Served in order: the small one waited behind the big one, and gets its turn once the big one gave up.
        small.get(10, TimeUnit.SECONDS).orElseThrow().close();
        first.close();
    }

    @Test
    void waitingMailsAndTimeoutsShouldCountOnlyMailsThatWaited() throws Exception {
        MailMemoryBudget budget = MailMemoryBudgets.of(100 * MB, 1, Duration.ofMillis(400));
        MailMemoryBudget.Reservation first = budget.reserve(90 * MB).orElseThrow();
        assertThat(budget.waitingMails()).isZero();

        Future<Optional<MailMemoryBudget.Reservation>> second = waiters.submit(() -> budget.reserve(20 * MB));
        Future<Optional<MailMemoryBudget.Reservation>> third = waiters.submit(() -> budget.reserve(20 * MB));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (budget.waitingMails() < 2 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(budget.waitingMails()).isEqualTo(2);

        assertThat(second.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(third.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(budget.waitingMails()).isZero();
        assertThat(budget.timedOut()).isEqualTo(2);
        first.close();
        budget.reserve(20 * MB).orElseThrow().close();
        assertThat(budget.timedOut()).isEqualTo(2);
    }

    @Test
    void budgetOfHeapShouldBeAShareOfTheMaximumHeap() {
        MailMemoryBudget budget = MailMemoryBudgets.ofHeap(50, 6, Duration.ofMinutes(10));

        assertThat(budget.capacityBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 100 * 50);
        assertThatThrownBy(() -> MailMemoryBudgets.ofHeap(95, 6, Duration.ofMinutes(1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory.mail-budget-percent");
        assertThatThrownBy(() -> MailMemoryBudgets.of(MB, 0, Duration.ofMinutes(1)))
            .hasMessageContaining("memory.mail-weight");
    }

    private static Optional<MailMemoryBudget.Reservation> reserve(MailMemoryBudget budget, long bytes) {
        try {
            return budget.reserve(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
