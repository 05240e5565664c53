package org.sealgate.zk.config;

/**
 * SMTP transport security towards a domain: try TLS, require it, or require it with a certificate verified
 * against the host name. Written {@code opportunistic} / {@code required} / {@code verified}.
 */
public enum TlsRequirement {
    OPPORTUNISTIC, REQUIRED, VERIFIED
}
