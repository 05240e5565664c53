package org.sealgate.zk.config;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.sealgate.crypto.EncryptionPolicy.ContentEncryption;
import org.sealgate.crypto.EncryptionPolicy.RsaKeyTransport;
import org.sealgate.policy.EncryptionMode;
import org.sealgate.policy.Fallback;
import org.sealgate.policy.Method;
import org.sealgate.policy.Setting;
import org.sealgate.policy.TransportSecurity;

/**
 * One scope of the policy in the cluster document: {@code name} is a domain, {@code *.suffix} (its subdomains),
 * {@code *} (every domain not listed otherwise) or an address. Its settings are the policy engine's own
 * ({@link Setting}: the same names, values and types as in {@code policy.properties}), parsed once when the document
 * is read; only what the document writes is set, everything else resolves from a less specific scope, as in the
 * file. The accessors give the value in this scope, or the built-in one when the scope does not set it.
 */
public record DomainConfig(String name, Map<Setting, Object> settings) {
    public DomainConfig {
        EnumMap<Setting, Object> copy = new EnumMap<>(Setting.class);
        copy.putAll(settings);
        settings = java.util.Collections.unmodifiableMap(copy);
    }

    /** The value this scope sets, if it sets one. */
    public Optional<Object> setting(Setting setting) {
        return Optional.ofNullable(settings.get(setting));
    }

    public EncryptionMode encrypt() {
        return (EncryptionMode) valueOf(Setting.ENCRYPT);
    }

    public boolean sign() {
        return (Boolean) valueOf(Setting.SIGN);
    }

    public ContentEncryption contentEncryption() {
        return (ContentEncryption) valueOf(Setting.CONTENT_ENCRYPTION);
    }

    public RsaKeyTransport rsaKeyTransport() {
        return (RsaKeyTransport) valueOf(Setting.RSA_KEY_TRANSPORT);
    }

    public Fallback fallback() {
        return (Fallback) valueOf(Setting.FALLBACK);
    }

    public TransportSecurity tls() {
        return (TransportSecurity) valueOf(Setting.TLS);
    }

    /** Whether OpenPGP keys that arrived with mail may be encrypted to (never, unless a scope says so). */
    public boolean useHarvestedKeys() {
        return (Boolean) valueOf(Setting.USE_HARVESTED_KEYS);
    }

    /** The outside key sources this scope asks, in order (built in: none, discovery off). */
    @SuppressWarnings("unchecked")
    public List<String> keyDiscovery() {
        return (List<String>) valueOf(Setting.KEY_DISCOVERY);
    }

    /** What this scope does when a certificate's revocation status cannot be learned (built in: prefer). */
    public org.sealgate.policy.RevocationMode revocation() {
        return (org.sealgate.policy.RevocationMode) valueOf(Setting.REVOCATION);
    }

    /** The methods this scope lists; empty when it lists none (a less specific scope or the built-in order applies). */
    @SuppressWarnings("unchecked")
    public List<Method> methods() {
        return (List<Method>) settings.getOrDefault(Setting.METHODS, List.of());
    }

    private Object valueOf(Setting setting) {
        return settings.getOrDefault(setting, setting.builtIn());
    }
}
