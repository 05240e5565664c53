package org.sealgate.zk.watch;

/** Told about each new configuration version once it is validated, saved locally and in force. */
@FunctionalInterface
public interface ConfigListener {
    void configChanged(ConfigSnapshot snapshot);

    /** Told once about each version in ZooKeeper that was refused (it did not validate); the previous one stays. */
    default void configRefused(RejectedVersion rejected) {
    }
}
