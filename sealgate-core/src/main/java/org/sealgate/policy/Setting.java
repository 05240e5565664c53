package org.sealgate.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.sealgate.crypto.EncryptionPolicy.ContentEncryption;
import org.sealgate.crypto.EncryptionPolicy.RsaKeyTransport;

/**
 * One setting of the policy document: its name in the file, how its value is read and checked, and the built-in
 * value used when no scope sets it. Settings about the recipient (encryption) are resolved for each recipient;
 * settings about the sender (signing, triggers, downgrade) for the sender; subject tags for the local recipient of
 * inbound mail.
 */
public enum Setting {
    ENCRYPT("encrypt", v -> EncryptionMode.valueOf(oneOf(v, "off", "opportunistic", "required").toUpperCase(Locale.ROOT)),
        EncryptionMode.OPPORTUNISTIC),
    METHODS("methods", Setting::methods, List.of(Method.SMIME, Method.PGP)),
    FALLBACK("fallback", v -> Fallback.valueOf(oneOf(v, "bounce", "hold", "gina", "tls").toUpperCase(Locale.ROOT)),
        Fallback.BOUNCE),
    TLS("tls", v -> TransportSecurity.ofToken(oneOf(v, "opportunistic", "required", "verified")), TransportSecurity.OPPORTUNISTIC),
    CONTENT_ENCRYPTION("content-encryption", v -> oneOf(v, "aes256-gcm", "aes256-cbc").equals("aes256-cbc")
        ? ContentEncryption.AES256_CBC : ContentEncryption.AES256_GCM, ContentEncryption.AES256_GCM),
    RSA_KEY_TRANSPORT("rsa-key-transport", v -> oneOf(v, "oaep", "pkcs1").equals("pkcs1")
        ? RsaKeyTransport.PKCS1_V15 : RsaKeyTransport.OAEP_SHA256, RsaKeyTransport.OAEP_SHA256),
    SIGN("sign", Setting::bool, true),
    ALLOW_PLAIN("allow-plain", Setting::bool, false),
    /** May a key that arrived with mail (harvested OpenPGP key, Autocrypt) be encrypted to? Never by default. */
    USE_HARVESTED_KEYS("use-harvested-keys", Setting::bool, false),
    TRIGGER_ENCRYPT("trigger-encrypt", Setting::keywords, List.of("[secure]", "[confidential]")),
    TRIGGER_PLAIN("trigger-plain", Setting::keywords, List.of("[plain]")),
    TRIGGER_SIGN("trigger-sign", Setting::keywords, List.of("[sign]")),
    DEBUG_HEADER("debug-header", Setting::bool, false),
    /** Empty means "as the node's {@code inbound.subject-tags} says". */
    SUBJECT_TAGS("subject-tags", v -> Optional.of(bool(v)), Optional.empty()),
    TAG_VALID("tag-valid", Setting::text, Optional.empty()),
    TAG_INVALID("tag-invalid", Setting::text, Optional.empty()),
    /** Inbound S/MIME without integrity protection (CBC EnvelopedData), for the local recipient. */
    INBOUND_CBC("inbound-cbc", v -> CbcHandling.valueOf(oneOf(v, "allow", "mark", "refuse").toUpperCase(Locale.ROOT)),
        CbcHandling.MARK),
    /** Outside sources asked, in order, for a recipient's keys the stores lack ({@code wkd, hkp, ldap}); off by default. */
    KEY_DISCOVERY("key-discovery", Setting::discoverySources, List.of()),
    /**
     * What happens when a partner certificate's revocation status cannot be learned (OCSP/CRL down, stale, forged):
     * {@code require} refuses it, {@code prefer} uses it and marks it, {@code off} asks nobody. A revoked certificate
     * is refused whatever this says.
     */
    REVOCATION("revocation", v -> RevocationMode.valueOf(oneOf(v, "require", "prefer", "off").toUpperCase(Locale.ROOT)),
        RevocationMode.PREFER);

    private final String key;
    private final Function<String, Object> parser;
    private final Object builtIn;

    Setting(String key, Function<String, Object> parser, Object builtIn) {
        this.key = key;
        this.parser = parser;
        this.builtIn = builtIn;
    }

    public String key() {
        return key;
    }

    /** The value used when no scope sets it. */
    public Object builtIn() {
        return builtIn;
    }

    /** The setting written as {@code name} in a document; {@code unencryptable} is the old name of {@code fallback}. */
    public static Optional<Setting> named(String name) {
        if (name.equals("unencryptable")) {
            return Optional.of(FALLBACK);
        }
        return Arrays.stream(values()).filter(s -> s.key.equals(name)).findFirst();
    }

    public static String knownNames() {
        return String.join(", ", Arrays.stream(values()).map(Setting::key).toList()) + ", unencryptable";
    }

    /** The typed value; the exception's message says what is wrong, in terms of the name written. */
    public Object parse(String writtenName, String raw) {
        try {
            return parser.apply(raw.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + writtenName + "' " + e.getMessage(), e);
        }
    }

    private static String oneOf(String value, String... allowed) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(lower)) {
            throw new IllegalArgumentException("must be one of " + List.of(allowed) + ", got '" + value + "'");
        }
        return lower;
    }

    private static boolean bool(String value) {
        String lower = oneOf(value, "true", "false", "on", "off");
        return lower.equals("true") || lower.equals("on");
    }

    private static List<Method> methods(String value) {
        if (value.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Method> methods = new ArrayList<>();
        for (String item : value.split("[,\\s]+")) {
            String token = oneOf(item, "smime", "pgp", "gina", "tls");
            Method method = Method.valueOf(token.toUpperCase(Locale.ROOT));
            if (methods.contains(method)) {
                throw new IllegalArgumentException("lists '" + token + "' twice");
            }
            methods.add(method);
        }
        return List.copyOf(methods);
    }

    private static List<String> discoverySources(String value) {
        if (value.equalsIgnoreCase("none") || value.equalsIgnoreCase("off")) {
            return List.of();
        }
        List<String> sources = new ArrayList<>();
        for (String item : value.split("[,\\s]+")) {
            String source = oneOf(item, "wkd", "hkp", "ldap");
            if (sources.contains(source)) {
                throw new IllegalArgumentException("lists '" + source + "' twice");
            }
            sources.add(source);
        }
        return List.copyOf(sources);
    }

    private static List<String> keywords(String value) {
        if (value.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<String> keywords = new ArrayList<>();
        for (String item : value.split(",")) {
            String keyword = item.trim().toLowerCase(Locale.ROOT);
            if (keyword.isEmpty() || keyword.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("must be a comma-separated list of keywords without spaces (or 'none'), got '" + value + "'");
            }
            keywords.add(keyword);
        }
        return List.copyOf(keywords);
    }

    private static Optional<String> text(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return Optional.of(value);
    }
}
