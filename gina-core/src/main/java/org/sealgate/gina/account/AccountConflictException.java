package org.sealgate.gina.account;

/** Someone else created or changed the account first; re-read and decide again. */
public final class AccountConflictException extends AccountStoreException {
    public AccountConflictException(String message) {
        super(message);
    }
}
