package org.sealgate.zk.config;

/**
 * CMS content encryption: AES-256-GCM (AuthEnvelopedData), or AES-256-CBC (EnvelopedData) for partners whose
 * clients cannot read GCM. Written {@code aes256-gcm} / {@code aes256-cbc}.
 */
public enum ContentEncryption {
    AES256_GCM, AES256_CBC
}
