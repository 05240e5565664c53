package org.sealgate.zk.config;

/** A way to protect mail to a domain, in the order a domain's {@code methods} list tries them; written in lower case. */
public enum EncryptionMethod {
    SMIME, PGP, GINA, TLS
}
