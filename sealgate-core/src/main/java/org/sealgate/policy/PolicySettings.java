package org.sealgate.policy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.sealgate.crypto.EncryptionPolicy;
import org.sealgate.crypto.EncryptionPolicy.ContentEncryption;
import org.sealgate.crypto.EncryptionPolicy.RsaKeyTransport;

/**
 * Every setting as it applies to one address, each taken from the most specific scope that sets it (user, exact
 * domain, the most specific matching wildcard domain, then less specific ones, {@code default}, built-in).
 * {@link #source(Setting)} names that scope, for reasons and debug output.
 */
public final class PolicySettings {
    private final Map<Setting, Object> values;
    private final Map<Setting, String> sources;

    PolicySettings(Map<Setting, Object> values, Map<Setting, String> sources) {
        this.values = new EnumMap<>(Setting.class);
        this.values.putAll(values);
        this.sources = new EnumMap<>(Setting.class);
        this.sources.putAll(sources);
        for (Setting setting : Setting.values()) {
            this.values.putIfAbsent(setting, setting.builtIn());
            this.sources.putIfAbsent(setting, "built-in");
        }
    }

    /** The built-in values everywhere. */
    public static PolicySettings builtIn() {
        return new PolicySettings(Map.of(), Map.of());
    }

    public EncryptionMode encryption() {
        return (EncryptionMode) values.get(Setting.ENCRYPT);
    }

    @SuppressWarnings("unchecked")
    public List<Method> methods() {
        return (List<Method>) values.get(Setting.METHODS);
    }

    public Fallback fallback() {
        return (Fallback) values.get(Setting.FALLBACK);
    }

    /** Transport security of the SMTP hop towards this recipient, whatever the content protection. */
    public TransportSecurity tls() {
        return (TransportSecurity) values.get(Setting.TLS);
    }

    public EncryptionPolicy cms() {
        return new EncryptionPolicy((ContentEncryption) values.get(Setting.CONTENT_ENCRYPTION),
            (RsaKeyTransport) values.get(Setting.RSA_KEY_TRANSPORT));
    }

    public boolean sign() {
        return (Boolean) values.get(Setting.SIGN);
    }

    /** May the sender downgrade to no encryption with a trigger ({@code [plain]}, {@code X-Sealgate-Encrypt: no})? */
    public boolean allowPlain() {
        return (Boolean) values.get(Setting.ALLOW_PLAIN);
    }

    /**
     * May OpenPGP keys that arrived with mail (harvested from a signed mail, an Autocrypt header, an attached key) be
     * encrypted to for this recipient? Anyone can sign with a key that names any address, so by default they are not.
     */
    public boolean useHarvestedKeys() {
        return (Boolean) values.get(Setting.USE_HARVESTED_KEYS);
    }

    /** The outside key sources to ask, in order, when no store has a key for the recipient; empty: none. */
    @SuppressWarnings("unchecked")
    public List<String> keyDiscovery() {
        return (List<String>) values.get(Setting.KEY_DISCOVERY);
    }

    /** Whether (and how strictly) a partner certificate's live revocation status is asked for this address. */
    public RevocationMode revocation() {
        return (RevocationMode) values.get(Setting.REVOCATION);
    }

    @SuppressWarnings("unchecked")
    public List<String> keywords(Setting trigger) {
        if (trigger != Setting.TRIGGER_ENCRYPT && trigger != Setting.TRIGGER_PLAIN && trigger != Setting.TRIGGER_SIGN) {
            throw new IllegalArgumentException(trigger + " is not a trigger");
        }
        return (List<String>) values.get(trigger);
    }

    public boolean debugHeader() {
        return (Boolean) values.get(Setting.DEBUG_HEADER);
    }

    @SuppressWarnings("unchecked")
    public Optional<Boolean> subjectTags() {
        return (Optional<Boolean>) values.get(Setting.SUBJECT_TAGS);
    }

    @SuppressWarnings("unchecked")
    public Optional<String> validTag() {
        return (Optional<String>) values.get(Setting.TAG_VALID);
    }

    @SuppressWarnings("unchecked")
    public Optional<String> invalidTag() {
        return (Optional<String>) values.get(Setting.TAG_INVALID);
    }

    /** How inbound S/MIME without integrity protection (CBC) is handled for this (local) recipient. */
    public CbcHandling inboundCbc() {
        return (CbcHandling) values.get(Setting.INBOUND_CBC);
    }

    /** Where the value came from: {@code user alice@x}, {@code domain *.x}, {@code default} or {@code built-in}. */
    public String source(Setting setting) {
        return sources.get(setting);
    }


    @Override
    public boolean equals(Object other) {
        return other instanceof PolicySettings that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
