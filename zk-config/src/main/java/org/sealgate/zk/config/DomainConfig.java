package org.sealgate.zk.config;

import java.util.List;

/**
 * One domain's policy. Encryption settings apply when the domain is the recipient's, {@code sign} when it is the
 * sender's; {@code tls} governs the SMTP hop to the domain. Defaults match the gateway's built-in policy.
 * {@code methods} is the order in which the policy engine tries the ways to protect a recipient's mail, e.g.
 * {@code [smime, pgp, gina]}; empty (absent) means the engine's built-in order. {@code use-harvested-keys} lets
 * the gateway encrypt to OpenPGP keys that arrived with mail for this domain (default: never).
 */
public record DomainConfig(String name,
                           @DefaultValue("opportunistic") EncryptMode encrypt,
                           @DefaultValue("true") boolean sign,
                           @DefaultValue("aes256-gcm") ContentEncryption contentEncryption,
                           @DefaultValue("oaep") RsaKeyTransport rsaKeyTransport,
                           @DefaultValue("bounce") UnencryptableAction unencryptable,
                           @DefaultValue("opportunistic") TlsRequirement tls,
                           List<EncryptionMethod> methods,
                           @DefaultValue("false") boolean useHarvestedKeys) {

    public DomainConfig {
        methods = List.copyOf(methods);
    }

    /** A domain with the engine's built-in method order. */
    public DomainConfig(String name, EncryptMode encrypt, boolean sign, ContentEncryption contentEncryption,
                        RsaKeyTransport rsaKeyTransport, UnencryptableAction unencryptable, TlsRequirement tls) {
        this(name, encrypt, sign, contentEncryption, rsaKeyTransport, unencryptable, tls, List.of(), false);
    }

    /** A domain with a method order; keys that arrive with mail are not used. */
    public DomainConfig(String name, EncryptMode encrypt, boolean sign, ContentEncryption contentEncryption,
                        RsaKeyTransport rsaKeyTransport, UnencryptableAction unencryptable, TlsRequirement tls,
                        List<EncryptionMethod> methods) {
        this(name, encrypt, sign, contentEncryption, rsaKeyTransport, unencryptable, tls, methods, false);
    }
}
