package org.sealgate.zk.config;

/**
 * One domain's policy. Encryption settings apply when the domain is the recipient's, {@code sign} when it is the
 * sender's; {@code tls} governs the SMTP hop to the domain. Defaults match the gateway's built-in policy.
 */
public record DomainConfig(String name,
                           @DefaultValue("opportunistic") EncryptMode encrypt,
                           @DefaultValue("true") boolean sign,
                           @DefaultValue("aes256-gcm") ContentEncryption contentEncryption,
                           @DefaultValue("oaep") RsaKeyTransport rsaKeyTransport,
                           @DefaultValue("bounce") UnencryptableAction unencryptable,
                           @DefaultValue("opportunistic") TlsRequirement tls) {
}
