package org.sealgate.gina.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.sealgate.gina.account.AccountException.Reason;
import org.sealgate.gina.account.LoginResult.Outcome;
import org.sealgate.testing.MutableClock;

class GinaAccountsTest {
    static final PasswordHasher FAST = new PasswordHasher(1024, 1, 1);   // unit tests only; STRONG is tested apart
    private static final String CAROL = "carol@partner.example";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final AccountStore store = AccountStores.inMemory();
    private final GinaAccounts accounts = new GinaAccounts(store, FAST, LockoutPolicy.DEFAULT, clock);

    @Test
    void firstContactShouldCreateAnAwaitingAccountOnceAndStoreOnlyTheHash() throws Exception {
        FirstContact first = accounts.ensureAccount("Carol@Partner.example");
        FirstContact second = accounts.ensureAccount(CAROL);

        assertThat(first.created()).isTrue();
        assertThat(first.firstPassword().orElseThrow()).matches("[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}");
        assertThat(second.created()).isFalse();
        assertThat(second.firstPassword()).isEmpty();
        GinaAccount stored = accounts.find(CAROL).orElseThrow();
        assertThat(stored.state()).isEqualTo(AccountState.AWAITING_REGISTRATION);
        assertThat(stored.passwordHash()).startsWith("$argon2id$").doesNotContain(first.firstPassword().get());
    }

    @Test
    void firstMailsArrivingTogetherShouldHashAndCreateOneFirstPasswordOnly() throws Exception {
        AtomicInteger creates = new AtomicInteger();
        AccountStore counting = new AccountStore() {
            @Override
            public Optional<StoredAccount> find(String address) throws AccountStoreException {
                return store.find(address);
            }

            @Override
            public StoredAccount create(GinaAccount account) throws AccountStoreException {
                creates.incrementAndGet();
                return store.create(account);
            }

            @Override
            public StoredAccount update(StoredAccount expected, GinaAccount next) throws AccountStoreException {
                return store.update(expected, next);
            }

            @Override
            public void close() {
            }
        };
        GinaAccounts node = new GinaAccounts(counting, FAST, LockoutPolicy.DEFAULT, clock);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<FirstContact>> contacts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                contacts.add(threads.submit(() -> {
                    start.await();
                    return node.ensureAccount(CAROL);
                }));
            }
            start.countDown();
            int created = 0;
            for (Future<FirstContact> contact : contacts) {
                created += contact.get(30, TimeUnit.SECONDS).created() ? 1 : 0;
            }

            assertThat(created).isEqualTo(1);
            assertThat(creates).hasValue(1);   // no losing hash-and-create attempts on this node
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void registrationShouldTurnTheFirstPasswordIntoTheRecipientsOwn() throws Exception {
        String firstPassword = accounts.ensureAccount(CAROL).firstPassword().orElseThrow();

        assertThat(accounts.login(CAROL, firstPassword).outcome()).isEqualTo(Outcome.INVALID);
        accounts.register(CAROL, firstPassword, "my own long password",
            new Recovery(Optional.of("First pet?"), Optional.of("  Rex "), Optional.of("+41 79 000 00 00")));

        assertThat(accounts.login(CAROL, "my own long password").outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(accounts.login(CAROL, firstPassword).outcome()).isEqualTo(Outcome.INVALID);
        assertThat(accounts.securityQuestion(CAROL)).contains("First pet?");
        assertThatThrownBy(() -> accounts.register(CAROL, firstPassword, "another long password", Recovery.NONE))
            .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS));
    }

    @Test
    void registrationShouldRefuseShortPasswordsAndWrongFirstPasswords() throws Exception {
        String firstPassword = accounts.ensureAccount(CAROL).firstPassword().orElseThrow();

        assertThatThrownBy(() -> accounts.register(CAROL, firstPassword, "short", Recovery.NONE))
            .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WEAK_PASSWORD));
        assertThatThrownBy(() -> accounts.register(CAROL, "wrong-first-pw", "long enough password", Recovery.NONE))
            .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS));
    }

    @Test
    void registrationShouldRefuseAnExpiredFirstPasswordAndAcceptItWithinItsLifetime() throws Exception {
        String expired = accounts.ensureAccount(CAROL).firstPassword().orElseThrow();
        clock.advance(GinaAccounts.FIRST_PASSWORD_LIFETIME.plusSeconds(1));

        assertThatThrownBy(() -> accounts.register(CAROL, expired, "long enough password", Recovery.NONE))
            .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
        String fresh = accounts.resetByAdmin(CAROL);
        clock.advance(GinaAccounts.FIRST_PASSWORD_LIFETIME.minusSeconds(60));
        assertThat(accounts.register(CAROL, fresh, "long enough password", Recovery.NONE).state()).isEqualTo(AccountState.ACTIVE);
    }

    @Test
    void failuresShouldThrottleTheAttackersAddressWithGrowingBackoffButNeverTheRealUserElsewhere() throws Exception {
        registered();
        for (int i = 0; i < 5; i++) {
            assertThat(accounts.login(CAROL, "203.0.113.9", "wrong password " + i).outcome()).isEqualTo(Outcome.INVALID);
        }
        LoginResult throttled = accounts.login(CAROL, "203.0.113.9", "my own long password");
        assertThat(throttled.outcome()).isEqualTo(Outcome.TEMPORARILY_LOCKED);   // even the right password waits
        assertThat(throttled.retryAfter()).contains(clock.instant().plusSeconds(30));
        assertThat(accounts.login(CAROL, "198.51.100.7", "my own long password").outcome()).isEqualTo(Outcome.SUCCESS);

        clock.advance(Duration.ofSeconds(31));
        assertThat(accounts.login(CAROL, "203.0.113.9", "wrong again").outcome()).isEqualTo(Outcome.INVALID);
        assertThat(accounts.login(CAROL, "203.0.113.9", "my own long password").retryAfter())
            .contains(clock.instant().plusSeconds(60));

        for (int i = 0; i < 40; i++) {
            clock.advance(Duration.ofHours(2));
            accounts.login(CAROL, "203.0.113.9", "still wrong " + i);
        }
        assertThat(accounts.find(CAROL).orElseThrow().state()).isEqualTo(AccountState.ACTIVE);
        assertThat(accounts.login(CAROL, "198.51.100.7", "my own long password").outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void oneAddressShouldBeThrottledAcrossAccountsAfterItsOwnAllowance() throws Exception {
        registered();
        for (int i = 0; i < 20; i++) {
            accounts.login("other" + i + "@partner.example", "203.0.113.9", "guess");
        }
        assertThat(accounts.login(CAROL, "203.0.113.9", "my own long password").outcome())
            .isEqualTo(Outcome.TEMPORARILY_LOCKED);
        assertThat(accounts.login(CAROL, "198.51.100.7", "my own long password").outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void ipv6ClientsShouldBeCountedByTheirSlash64SoHoppingAddressesGainsNothing() throws Exception {
        registered();
        for (int i = 0; i < 5; i++) {
            accounts.login(CAROL, "2001:db8:1:2::" + Integer.toHexString(i + 1), "wrong password " + i);
        }
        assertThat(accounts.login(CAROL, "2001:db8:1:2:ffff::9", "my own long password").outcome())
            .isEqualTo(Outcome.TEMPORARILY_LOCKED);
        assertThat(accounts.login(CAROL, "2001:db8:1:3::1", "my own long password").outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void successShouldClearTheFailureCounter() throws Exception {
        registered();
        for (int i = 0; i < 4; i++) {
            accounts.login(CAROL, "wrong password");
        }
        assertThat(accounts.login(CAROL, "my own long password").outcome()).isEqualTo(Outcome.SUCCESS);
        for (int i = 0; i < 4; i++) {
            accounts.login(CAROL, "wrong password");
        }
        assertThat(accounts.login(CAROL, "my own long password").outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void senderResetShouldBeRateLimitedPerRecipient() throws Exception {
        registered();
        assertThat(accounts.resetBySender(CAROL, Duration.ofMinutes(10))).isPresent();
        clock.advance(Duration.ofMinutes(9));
        assertThat(accounts.resetBySender(CAROL, Duration.ofMinutes(10))).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(accounts.resetBySender(CAROL, Duration.ofMinutes(10))).isPresent();
    }

    @Test
    void adminResetShouldIssueANewFirstPasswordUnlockAndEndSessions() throws Exception {
        registered();
        long generation = accounts.find(CAROL).orElseThrow().sessionGeneration();

        String newFirst = accounts.resetByAdmin(CAROL);

        GinaAccount reset = accounts.find(CAROL).orElseThrow();
        assertThat(reset.state()).isEqualTo(AccountState.AWAITING_REGISTRATION);
        assertThat(reset.failedLogins()).isZero();
        assertThat(reset.sessionGeneration()).isGreaterThan(generation);
        accounts.register(CAROL, newFirst, "a brand new password", Recovery.NONE);
        assertThat(accounts.login(CAROL, "a brand new password").outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void selfServiceResetShouldNeedTheRightAnswer() throws Exception {
        registered();

        assertThatThrownBy(() -> accounts.resetWithSecurityAnswer(CAROL, "Felix", "a brand new password"))
            .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS));
        accounts.resetWithSecurityAnswer(CAROL, "rex", "a brand new password");

        assertThat(accounts.login(CAROL, "my own long password").outcome()).isEqualTo(Outcome.INVALID);
        assertThat(accounts.login(CAROL, "a brand new password").outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void endSessionsShouldBumpTheGeneration() throws Exception {
        registered();
        long before = accounts.find(CAROL).orElseThrow().sessionGeneration();

        assertThat(accounts.endSessions(CAROL).sessionGeneration()).isEqualTo(before + 1);
    }

    @Test
    void unknownAddressShouldLookLikeAWrongPassword() throws Exception {
        assertThat(accounts.login("nobody@partner.example", "whatever password").outcome()).isEqualTo(Outcome.INVALID);
    }

    private void registered() throws Exception {
        String firstPassword = accounts.ensureAccount(CAROL).firstPassword().orElseThrow();
        accounts.register(CAROL, firstPassword, "my own long password",
            new Recovery(Optional.of("First pet?"), Optional.of("Rex"), Optional.empty()));
    }
}
