package org.sealgate.gina.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import org.sealgate.gina.account.AccountException.Reason;
import org.sealgate.gina.account.LoginResult.Outcome;
import org.sealgate.gina.container.Addresses;
import org.sealgate.gina.throttle.GinaLimits;

/**
 * The account rules shared by the mailet (first contact) and the portal (login, registration, resets, logout).
 * Every check of a secret goes through one path that is throttled by {@link GinaLimits} (per account and client
 * address, per client address: an attacker slows down himself, never the real user elsewhere) and never locks the
 * account; first passwords expire. Writes are version-checked and retried when another node wrote meanwhile.
 */
public final class GinaAccounts {
    public static final int MIN_PASSWORD_LENGTH = 10;
    public static final int MAX_PASSWORD_LENGTH = 256;
    /** Default lifetime of a first password (creation or reset) until registration. */
    public static final Duration FIRST_PASSWORD_LIFETIME = Duration.ofDays(14);
    /** The client of calls that name none (single-process tools, the CLI). */
    public static final String LOCAL_CLIENT = "local";
    private static final int MAX_ATTEMPTS = 5;

    private final AccountStore store;
    private final PasswordHasher hasher;
    private final GinaLimits limits;
    private final java.util.function.Supplier<Duration> firstPasswordLifetime;
    private final Clock clock;
    /** Striped by address: first contacts of different recipients do not wait for each other (mostly). */
    private final Object[] creationLocks = newLocks(32);

    /** With limits in this JVM's memory only (tools and tests). */
    public GinaAccounts(AccountStore store, PasswordHasher hasher, LockoutPolicy lockout, Clock clock) {
        this(store, hasher, GinaLimits.inMemory(lockout, clock), FIRST_PASSWORD_LIFETIME, clock);
    }

    public GinaAccounts(AccountStore store, PasswordHasher hasher, GinaLimits limits, Duration firstPasswordLifetime,
                        Clock clock) {
        if (firstPasswordLifetime.isNegative() || firstPasswordLifetime.isZero()) {
            throw new IllegalArgumentException("the first password's lifetime must be positive");
        }
        this.store = store;
        this.hasher = hasher;
        this.limits = limits;
        this.firstPasswordLifetime = () -> firstPasswordLifetime;
        this.clock = clock;
    }

    /**
     * As above, with the first password's lifetime read at each registration (the cluster document's, which may
     * change while the portal runs); the supplier answers a positive duration.
     */
    public GinaAccounts(AccountStore store, PasswordHasher hasher, GinaLimits limits,
                        java.util.function.Supplier<Duration> firstPasswordLifetime, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.limits = limits;
        this.firstPasswordLifetime = firstPasswordLifetime;
        this.clock = clock;
    }

    public Optional<GinaAccount> find(String address) throws AccountStoreException {
        return store.find(address).map(StoredAccount::account);
    }

    /**
     * For the mailet: the recipient's account, created "awaiting registration" with a fresh first password if
     * there is none. The first password is returned once here and stored only as its hash.
     */
    public FirstContact ensureAccount(String address) throws AccountStoreException {
        String normalized = Addresses.normalise(address);
        if (store.find(normalized).isPresent()) {
            return new FirstContact(normalized, false, Optional.empty());
        }
        // Several first mails to one new recipient arrive together (a list, a burst): one of this node's threads
        // hashes a first password (Argon2id, the dear part) and creates the account, the others wait and find it.
        synchronized (creationLocks[Math.floorMod(normalized.hashCode(), creationLocks.length)]) {
            if (store.find(normalized).isPresent()) {
                return new FirstContact(normalized, false, Optional.empty());
            }
            String firstPassword = FirstPasswords.generate();
            Instant now = clock.instant();
            try {
                store.create(new GinaAccount(normalized, AccountState.AWAITING_REGISTRATION, hasher.hash(firstPassword),
                    0, Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(), now, now,
                    Optional.of(now)));
                return new FirstContact(normalized, true, Optional.of(firstPassword));
            } catch (AccountConflictException e) {
                return new FirstContact(normalized, false, Optional.empty());   // another node created it first
            }
        }
    }

    public LoginResult login(String address, String password) throws AccountStoreException {
        return login(address, LOCAL_CLIENT, password);
    }

    /** Login with the recipient's own password; only {@link AccountState#ACTIVE} accounts can succeed. */
    public LoginResult login(String address, String client, String password) throws AccountStoreException {
        Attempt attempt = check(address, client, password, GinaAccount::passwordHash, AccountState.ACTIVE);
        return switch (attempt.outcome()) {
            case SUCCESS -> new LoginResult(Outcome.SUCCESS, Optional.of(attempt.stored().account()), Optional.empty());
            case TEMPORARILY_LOCKED -> new LoginResult(Outcome.TEMPORARILY_LOCKED, Optional.empty(), attempt.retryAfter());
            case LOCKED -> LoginResult.of(Outcome.LOCKED);
            case INVALID -> LoginResult.of(Outcome.INVALID);
        };
    }

    public GinaAccount register(String address, String firstPassword, String newPassword, Recovery recovery)
        throws AccountStoreException, AccountException {
        return register(address, LOCAL_CLIENT, firstPassword, newPassword, recovery);
    }

    /** First password → own password: the account becomes active; recovery data is optional. */
    public GinaAccount register(String address, String client, String firstPassword, String newPassword, Recovery recovery)
        throws AccountStoreException, AccountException {
        checkPasswordPolicy(address, newPassword);
        Attempt attempt = check(address, client, firstPassword, GinaAccount::passwordHash, AccountState.AWAITING_REGISTRATION);
        requireSuccess(attempt, "the first password is wrong, or this account is already registered");
        Instant now = clock.instant();
        // Accounts from before first passwords expired have no issue time: their lifetime counts from the last write.
        Instant issued = attempt.stored().account().firstPasswordIssued().orElse(attempt.stored().account().updated());
        if (!now.isBefore(issued.plus(firstPasswordLifetime.get()))) {
            throw new AccountException(Reason.EXPIRED, "the first password has expired; ask the sender for a new one");
        }
        GinaAccount next = attempt.stored().account().withPassword(hasher.hash(newPassword), now)
            .withState(AccountState.ACTIVE, now)
            .withRecovery(recovery.question(), recovery.answer().map(a -> hasher.hash(Recovery.normalizeAnswer(a))),
                recovery.phone(), now);
        return store.update(attempt.stored(), next).account();
    }

    /**
     * Admin (or sender) reset: a new first password, the account back to awaiting registration, failures
     * cleared and every existing session ended. Creates the account if there is none.
     */
    public String resetByAdmin(String address) throws AccountStoreException {
        FirstContact contact = ensureAccount(address);
        if (contact.created()) {
            return contact.firstPassword().orElseThrow();
        }
        String firstPassword = FirstPasswords.generate();
        String hash = hasher.hash(firstPassword);
        update(address, a -> a.withFirstPassword(hash, clock.instant())
            .withRecovery(Optional.empty(), Optional.empty(), a.phone(), clock.instant())
            .withNextSessionGeneration(clock.instant()));
        return firstPassword;
    }

    /**
     * Sender reset: as {@link #resetByAdmin}, but at most once per {@code minInterval} per recipient, counted
     * cluster-wide; empty when refused for that reason. Only for existing accounts (the caller checks).
     */
    public Optional<String> resetBySender(String address, Duration minInterval) throws AccountStoreException {
        if (!limits.tryReset(Addresses.normalise(address), minInterval)) {
            return Optional.empty();
        }
        return Optional.of(resetByAdmin(address));
    }

    /** One more portal reply by {@code address} this hour, if fewer than {@code maxPerHour} went (cluster-wide). */
    public boolean tryReply(String address, int maxPerHour) throws AccountStoreException {
        return limits.tryReply(Addresses.normalise(address), maxPerHour);
    }

    /** The question asked for self-service reset, if the recipient set one. */
    public Optional<String> securityQuestion(String address) throws AccountStoreException {
        return find(address).filter(a -> a.state() == AccountState.ACTIVE).flatMap(GinaAccount::securityQuestion);
    }

    /** Self-service reset with the security answer: counts failures like a login; ends every existing session. */
    public GinaAccount resetWithSecurityAnswer(String address, String answer, String newPassword)
        throws AccountStoreException, AccountException {
        return resetWithSecurityAnswer(address, LOCAL_CLIENT, answer, newPassword);
    }

    public GinaAccount resetWithSecurityAnswer(String address, String client, String answer, String newPassword)
        throws AccountStoreException, AccountException {
        checkPasswordPolicy(address, newPassword);
        Optional<GinaAccount> account = find(address);
        if (account.isPresent() && account.get().securityAnswerHash().isEmpty()) {
            throw new AccountException(Reason.NO_SECURITY_QUESTION, "this account has no security question");
        }
        Attempt attempt = check(address, client, Recovery.normalizeAnswer(answer),
            a -> a.securityAnswerHash().orElse(""), AccountState.ACTIVE);
        requireSuccess(attempt, "the answer is wrong");
        Instant now = clock.instant();
        return store.update(attempt.stored(),
            attempt.stored().account().withPassword(hasher.hash(newPassword), now).withNextSessionGeneration(now)).account();
    }

    /** Logout: every session token issued so far for this address stops working, on every node. */
    public GinaAccount endSessions(String address) throws AccountStoreException {
        return update(address, a -> a.withNextSessionGeneration(clock.instant()));
    }

    public void checkPasswordPolicy(String address, String password) throws AccountException {
        if (password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            throw new AccountException(Reason.WEAK_PASSWORD,
                "the password must have " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH + " characters");
        }
        if (password.equalsIgnoreCase(address) || password.equalsIgnoreCase(address.split("@")[0])) {
            throw new AccountException(Reason.WEAK_PASSWORD, "the password must not be the e-mail address");
        }
    }

    private static void requireSuccess(Attempt attempt, String invalidMessage) throws AccountException {
        switch (attempt.outcome()) {
            case SUCCESS -> { }
            case TEMPORARILY_LOCKED -> throw new AccountException(Reason.LOCKED,
                "too many failed attempts; try again after " + attempt.retryAfter().orElseThrow());
            case LOCKED -> throw new AccountException(Reason.LOCKED, "the account is locked; ask for a password reset");
            case INVALID -> throw new AccountException(Reason.BAD_CREDENTIALS, invalidMessage);
        }
    }

    /**
     * One secret check: refused unheard while this (account, client) pair or this client is throttled; a failure
     * counts for both; a success clears the pair. The account itself is never locked by failures.
     */
    private Attempt check(String address, String client, String secret, Function<GinaAccount, String> hashOf,
                          AccountState required) throws AccountStoreException {
        String normalized = Addresses.normalise(address);
        Optional<Instant> blocked = limits.blockedUntil(normalized, client);
        if (blocked.isPresent()) {
            return new Attempt(Outcome.TEMPORARILY_LOCKED, null, blocked);
        }
        Optional<StoredAccount> found = store.find(normalized);
        if (found.isEmpty()) {
            hasher.burn(secret);
            limits.failed(normalized, client);
            return new Attempt(Outcome.INVALID, null, Optional.empty());
        }
        GinaAccount account = found.get().account();
        if (account.state() == AccountState.LOCKED) {
            return new Attempt(Outcome.LOCKED, found.get(), Optional.empty());
        }
        if (hasher.verify(secret, hashOf.apply(account)) && account.state() == required) {
            limits.succeeded(normalized, client);
            return new Attempt(Outcome.SUCCESS, found.get(), Optional.empty());
        }
        limits.failed(normalized, client);
        return new Attempt(Outcome.INVALID, found.get(), Optional.empty());
    }

    private GinaAccount update(String address, Function<GinaAccount, GinaAccount> change) throws AccountStoreException {
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            StoredAccount stored = store.find(address)
                .orElseThrow(() -> new AccountStoreException("no GINA account for " + address));
            try {
                return store.update(stored, change.apply(stored.account())).account();
            } catch (AccountConflictException e) {
                // re-read and apply the change again
            }
        }
        throw new AccountStoreException("the account for " + address + " keeps changing; try again");
    }

    private record Attempt(Outcome outcome, StoredAccount stored, Optional<Instant> retryAfter) {
    }

    private static Object[] newLocks(int count) {
        Object[] locks = new Object[count];
        for (int i = 0; i < count; i++) {
            locks[i] = new Object();
        }
        return locks;
    }
}
