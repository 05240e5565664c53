package org.sealgate.gina.account;

import java.time.Instant;
import java.util.Optional;

/**
 * What a login attempt came to. {@code account} is present for {@link Outcome#SUCCESS} only;
 * {@code retryAfter} for {@link Outcome#TEMPORARILY_LOCKED}.
 */
public record LoginResult(Outcome outcome, Optional<GinaAccount> account, Optional<Instant> retryAfter) {
    public enum Outcome {
        SUCCESS,
        /** Wrong password, unknown address or an account still awaiting registration: indistinguishable on purpose. */
        INVALID,
        /** Too many recent failures: try again after {@code retryAfter}; the password was not checked. */
        TEMPORARILY_LOCKED,
        /** Locked until a password reset. */
        LOCKED
    }

    static LoginResult of(Outcome outcome) {
        return new LoginResult(outcome, Optional.empty(), Optional.empty());
    }
}
