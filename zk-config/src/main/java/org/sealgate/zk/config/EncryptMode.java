package org.sealgate.zk.config;

/** How hard a domain insists on encryption (mirrors org.sealgate.policy.EncryptionMode). Written in lower case with '-' for '_', e.g. {@code OFF} as {@code off}. */
public enum EncryptMode {
    OFF, OPPORTUNISTIC, REQUIRED
}
