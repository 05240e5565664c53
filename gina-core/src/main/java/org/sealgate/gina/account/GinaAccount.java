package org.sealgate.gina.account;

import java.time.Instant;
import java.util.Optional;

/**
 * One recipient's account as stored (replicated through ZooKeeper). Secrets are stored only as Argon2id hashes.
 *
 * @param passwordHash      the first password's hash while awaiting registration, then the recipient's own
 * @param failedLogins      consecutive failures since the last success or reset
 * @param lockedUntil       no login is tried before this time (backoff after repeated failures)
 * @param sessionGeneration bumped by logout and reset: session tokens of older generations are refused
 * @param securityQuestion  optional, for self-service reset; {@code securityAnswerHash} is its answer's hash
 * @param firstPasswordIssued when the current first password was issued (while awaiting registration): it expires
 */
public record GinaAccount(String address, AccountState state, String passwordHash, int failedLogins,
                          Optional<Instant> lockedUntil, long sessionGeneration, Optional<String> securityQuestion,
                          Optional<String> securityAnswerHash, Optional<String> phone, Instant created, Instant updated,
                          Optional<Instant> firstPasswordIssued) {

    public GinaAccount withState(AccountState next, Instant now) {
        return new GinaAccount(address, next, passwordHash, failedLogins, lockedUntil, sessionGeneration,
            securityQuestion, securityAnswerHash, phone, created, now, firstPasswordIssued);
    }

    public GinaAccount withFailures(int failures, Optional<Instant> until, Instant now) {
        return new GinaAccount(address, state, passwordHash, failures, until, sessionGeneration,
            securityQuestion, securityAnswerHash, phone, created, now, firstPasswordIssued);
    }

    public GinaAccount withPassword(String hash, Instant now) {
        return new GinaAccount(address, state, hash, 0, Optional.empty(), sessionGeneration,
            securityQuestion, securityAnswerHash, phone, created, now, firstPasswordIssued);
    }

    public GinaAccount withNextSessionGeneration(Instant now) {
        return new GinaAccount(address, state, passwordHash, failedLogins, lockedUntil, sessionGeneration + 1,
            securityQuestion, securityAnswerHash, phone, created, now, firstPasswordIssued);
    }

    public GinaAccount withRecovery(Optional<String> question, Optional<String> answerHash, Optional<String> phoneNumber,
                                    Instant now) {
        return new GinaAccount(address, state, passwordHash, failedLogins, lockedUntil, sessionGeneration,
            question, answerHash, phoneNumber, created, now, firstPasswordIssued);
    }

    /** A new first password: the account awaits registration again and the first password's lifetime restarts. */
    public GinaAccount withFirstPassword(String hash, Instant now) {
        return new GinaAccount(address, AccountState.AWAITING_REGISTRATION, hash, 0, Optional.empty(), sessionGeneration,
            securityQuestion, securityAnswerHash, phone, created, now, Optional.of(now));
    }

    @Override
    public String toString() {
        return "GinaAccount[" + address + ", " + state + ", failures " + failedLogins + ", generation "
            + sessionGeneration + "]";
    }
}
