package org.sealgate.zk.keys;

/** A write to the key store in ZooKeeper failed; unchecked because {@code KeyDirectory}'s methods declare none. */
public final class KeyStoreException extends RuntimeException {
    private final boolean accessDenied;

    KeyStoreException(String message, boolean accessDenied, Throwable cause) {
        super(message, cause);
        this.accessDenied = accessDenied;
    }

    /** ZooKeeper answered NoAuth: this identity may not do that (e.g. a node writing a trust anchor). */
    public boolean accessDenied() {
        return accessDenied;
    }
}
