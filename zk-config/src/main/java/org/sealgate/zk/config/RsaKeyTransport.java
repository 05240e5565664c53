package org.sealgate.zk.config;

/** How the content key is wrapped for RSA recipients. Written in lower case with '-' for '_', e.g. {@code OAEP} as {@code oaep}. */
public enum RsaKeyTransport {
    OAEP, PKCS1
}
