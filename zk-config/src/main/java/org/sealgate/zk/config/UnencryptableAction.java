package org.sealgate.zk.config;

/** What happens to mail that must be encrypted when no usable key exists. Written in lower case with '-' for '_', e.g. {@code BOUNCE} as {@code bounce}. */
public enum UnencryptableAction {
    BOUNCE, HOLD
}
