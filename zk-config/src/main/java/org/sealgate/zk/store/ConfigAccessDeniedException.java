package org.sealgate.zk.store;

/** ZooKeeper answered NoAuth: the client's identity is not allowed to do this (e.g. a node trying to write). */
public final class ConfigAccessDeniedException extends ConfigStoreException {
    public ConfigAccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
