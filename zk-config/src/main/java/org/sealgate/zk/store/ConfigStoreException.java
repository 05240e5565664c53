package org.sealgate.zk.store;

/** ZooKeeper could not be read or written (unreachable, not initialised, ...); the cause says what ZooKeeper said. */
public class ConfigStoreException extends Exception {
    public ConfigStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
