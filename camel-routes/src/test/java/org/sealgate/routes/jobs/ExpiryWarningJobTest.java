package org.sealgate.routes.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.sealgate.audit.AuditEvent;
import org.sealgate.testing.MutableClock;

/** Expiry warnings: once per key and threshold, only inside the window, nothing remembered that was not sent. */
class ExpiryWarningJobTest {
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final Set<String> ledger = new HashSet<>();
    private final List<String[]> mails = new ArrayList<>();
    private final List<AuditEvent> audited = new ArrayList<>();
    private final AtomicBoolean leading = new AtomicBoolean(true);
    private final AtomicBoolean mailFails = new AtomicBoolean();
    private Optional<ExpiryWarningSettings> settings = Optional.of(new ExpiryWarningSettings("pki@example.com", 30));

    private final ExpiringKey soon = new ExpiringKey("S/MIME certificate", "alice@example.com", "aa11",
        NOW.plus(Duration.ofDays(20)));
    private final ExpiringKey later = new ExpiringKey("OpenPGP key", "bob@example.com", "BB22",
        NOW.plus(Duration.ofDays(40)));

    @Test
    void aKeyInsideTheWindowShouldBeWarnedAboutOnceAndOneOutsideNot() {
        ExpiryWarningJob job = job(List.of(soon, later));
        job.run();
        job.run();
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0)[0]).isEqualTo("pki@example.com");
        assertThat(mails.get(0)[1]).isEqualTo("Sealgate: 1 managed key expires within 30 days");
        assertThat(mails.get(0)[2]).contains("alice@example.com", "aa11", "in 20 days").doesNotContain("bob@");
        assertThat(audited).singleElement().satisfies(event -> {
            assertThat(event.outcome()).isEqualTo("expiry-warning");
            assertThat(event.recipients().get(0).keyFingerprint()).isEqualTo("aa11");
        });

        // 14 days on: alice is inside 7 days (a second warning), bob inside 30 (his first).
        clock.advance(Duration.ofDays(14));
        job.run();
        assertThat(mails).hasSize(2);
        assertThat(mails.get(1)[2]).contains("alice@example.com", "bob@example.com");
        job.run();
        assertThat(mails).hasSize(2);
        assertThat(ledger).hasSize(3);
    }

    @Test
    void aNewLeaderWithTheSameLedgerShouldNotWarnAgain() {
        job(List.of(soon)).run();
        job(List.of(soon)).run(); // another node's job, same ledger (ZooKeeper in a cluster)
        assertThat(mails).hasSize(1);
    }

    @Test
    void aFailedMailShouldLeaveNothingRememberedSoTheNextRunSendsIt() {
        mailFails.set(true);
        ExpiryWarningJob job = job(List.of(soon));
        assertThatThrownBy(job::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("next hop down");
        assertThat(ledger).isEmpty();
        assertThat(audited).isEmpty();
        mailFails.set(false);
        job.run();
        assertThat(mails).hasSize(1);
    }

    @Test
    void nothingShouldBeSentWithoutAnAdminAddressOrWithoutLeadership() {
        settings = Optional.empty();
        job(List.of(soon)).run();
        settings = Optional.of(new ExpiryWarningSettings("pki@example.com", 30));
        leading.set(false);
        job(List.of(soon)).run();
        assertThat(mails).isEmpty();
        assertThat(ledger).isEmpty();
    }

    @Test
    void thresholdsShouldBeTheSettingThenSevenAndOneAndExpired() {
        assertThat(new ExpiryWarningSettings("a@b.c", 30).thresholds()).containsExactly(30, 7, 1, 0);
        assertThat(new ExpiryWarningSettings("a@b.c", 5).thresholds()).containsExactly(5, 1, 0);
        assertThat(new ExpiryWarningSettings("a@b.c", 1).thresholds()).containsExactly(1, 0);
        assertThatThrownBy(() -> new ExpiryWarningSettings("a@b.c", 0)).isInstanceOf(IllegalArgumentException.class);
        // A renewed key (same OpenPGP fingerprint, new expiry) is warned about anew.
        assertThat(ExpiryWarningJob.warningId(later, 30)).isEqualTo("bb22-" + later.expires().getEpochSecond() + "-30d");
    }

    private ExpiryWarningJob job(List<ExpiringKey> keys) {
        return new ExpiryWarningJob(() -> keys, () -> settings, new WarningLedger() {
            @Override
            public boolean sent(String warning) {
                return ledger.contains(warning);
            }

            @Override
            public void remember(String warning) {
                ledger.add(warning);
            }
        }, (to, subject, body) -> {
            if (mailFails.get()) {
                throw new java.io.IOException("next hop down");
            }
            mails.add(new String[] {to, subject, body});
        }, audited::add, leading::get, clock, Duration.ofMinutes(1));
    }
}
