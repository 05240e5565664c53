package org.sealgate.routes.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.keys.discovery.DiscoveryResult;
import org.sealgate.routes.SealgateCamel;
import org.sealgate.routes.discovery.DiscoveryCache;
import org.sealgate.testing.MutableClock;

/** Job timer routes in a real CamelContext: they run only while leading, keep going after a failure. */
class JobRoutesTest {
    private static final Duration PERIOD = Duration.ofMillis(100);
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path auditDir;

    @Test
    void jobsShouldRunOnlyWhileThisNodeLeads() throws Exception {
        AtomicBoolean leading = new AtomicBoolean(false);
        AtomicInteger refreshes = new AtomicInteger();
        try (SealgateCamel camel = SealgateCamel.start(auditDir)) {
            JobStatistics statistics = camel.scheduleJobs(List.of(new CrlRefreshJob(refreshes::incrementAndGet, PERIOD)),
                leading::get);
            await().atMost(WITHIN).until(() -> statistics.skipped("crl-refresh") >= 3);
            assertThat(refreshes.get()).isZero();

            leading.set(true);
            await().atMost(WITHIN).until(() -> refreshes.get() >= 3);
            leading.set(false);
            Thread.sleep(PERIOD.toMillis() * 2); // a tick that was already past its check may finish
            int afterLoss = refreshes.get();
            long skippedBefore = statistics.skipped("crl-refresh");
            await().atMost(WITHIN).until(() -> statistics.skipped("crl-refresh") >= skippedBefore + 3);
            assertThat(refreshes.get()).isEqualTo(afterLoss);
            assertThat(statistics.runs("crl-refresh")).isEqualTo(afterLoss);
        }
    }

    @Test
    void aFailingRunShouldBeCountedAndTheNextPeriodRunAgain() {
        AtomicInteger calls = new AtomicInteger();
        try (SealgateCamel camel = SealgateCamel.start(auditDir)) {
            JobStatistics statistics = camel.scheduleJobs(List.of(new CrlRefreshJob(() -> {
                if (calls.incrementAndGet() % 2 == 1) {
                    throw new IllegalStateException("distribution point down");
                }
            }, PERIOD)), () -> true);
            await().atMost(WITHIN).until(() -> statistics.failures("crl-refresh") >= 2 && statistics.runs("crl-refresh") >= 2);
        }
    }

    @Test
    void evictionJobShouldDropExpiredDiscoveryAnswersOnly() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        DiscoveryCache cache = new DiscoveryCache(Duration.ofHours(1), Duration.ofMinutes(5), 100, clock);
        cache.put("negative@example.org", DiscoveryResult.nothing(List.of("no key")));
        clock.advance(Duration.ofMinutes(10));
        assertThat(cache.size()).isEqualTo(1); // expired but still held: nobody asked for it again
        try (SealgateCamel camel = SealgateCamel.start(auditDir)) {
            JobStatistics statistics = camel.scheduleJobs(List.of(new DiscoveryEvictionJob(cache, PERIOD)), () -> true);
            await().atMost(WITHIN).until(() -> statistics.runs("discovery-eviction") >= 1);
        }
        assertThat(cache.size()).isZero();
    }

    @Test
    void evictionJobShouldDeleteStoredDiscoveredKeysPastTheirMaximumAge(@TempDir Path keys) {
        MutableClock clock = new MutableClock(Instant.now());
        org.sealgate.keys.discovery.FileDiscoveredKeyStore stored =
            new org.sealgate.keys.discovery.FileDiscoveredKeyStore(keys.resolve("discovered"));
        org.sealgate.keys.discovery.AgingDiscoveredKeyStore aging = new org.sealgate.keys.discovery.AgingDiscoveredKeyStore(
            stored, Duration.ofHours(1), Duration.ofDays(2), Duration.ofMinutes(5), clock);
        stored.store(org.sealgate.keys.discovery.DiscoveredKey.openPgp("old@example.org", "hkp", clock.instant(),
            org.sealgate.pgp.PgpKeys.generate("Old <old@example.org>", 4).toCertificate()));
        clock.advance(Duration.ofDays(1));
        stored.store(org.sealgate.keys.discovery.DiscoveredKey.openPgp("new@example.org", "hkp", clock.instant(),
            org.sealgate.pgp.PgpKeys.generate("New <new@example.org>", 4).toCertificate()));
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        DiscoveryCache cache = new DiscoveryCache(Duration.ofHours(1), Duration.ofMinutes(5), 100, clock);
        try (SealgateCamel camel = SealgateCamel.start(auditDir)) {
            JobStatistics statistics = camel.scheduleJobs(List.of(new DiscoveryEvictionJob(cache, aging::evictTooOld,
                PERIOD)), () -> true);
            await().atMost(WITHIN).until(() -> statistics.runs("discovery-eviction") >= 1);
        }
        assertThat(stored.all()).extracting(org.sealgate.keys.discovery.DiscoveredKey::address)
            .containsExactly("new@example.org");
    }

    @Test
    void badJobDefinitionsShouldBeRefused() {
        assertThatThrownBy(() -> new CrlRefreshJob(() -> { }, Duration.ofMillis(1)))
            .isInstanceOf(IllegalArgumentException.class);
        ScheduledJob one = new CrlRefreshJob(() -> { }, PERIOD);
        assertThatThrownBy(() -> new JobRoutes(List.of(one, one), () -> true, new JobStatistics()))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
