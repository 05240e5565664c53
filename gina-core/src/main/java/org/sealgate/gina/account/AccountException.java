package org.sealgate.gina.account;

/** An account operation refused for a reason the recipient (or admin) can act on. */
public final class AccountException extends Exception {
    public enum Reason { UNKNOWN_ACCOUNT, BAD_CREDENTIALS, LOCKED, WRONG_STATE, WEAK_PASSWORD, NO_SECURITY_QUESTION, EXPIRED }

    private final Reason reason;

    public AccountException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
