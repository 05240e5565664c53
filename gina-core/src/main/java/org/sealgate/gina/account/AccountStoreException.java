package org.sealgate.gina.account;

/** The account store could not be read or written (ZooKeeper unreachable, access denied, garbled record). */
public class AccountStoreException extends Exception {
    public AccountStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public AccountStoreException(String message) {
        super(message);
    }
}
