package org.sealgate.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.sealgate.crypto.EncryptionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy read from a small properties-style file ({@code <data>/policy.properties}), re-read when it changes.
 * A broken file is refused with the line that is wrong and the previous policy stays in force.
 *
 * <pre>
 * default.encrypt = opportunistic        # off | opportunistic | required
 * default.sign = true
 * default.content-encryption = aes256-gcm   # aes256-gcm (AuthEnvelopedData) | aes256-cbc (EnvelopedData)
 * default.rsa-key-transport = oaep       # oaep | pkcs1
 * default.unencryptable = bounce         # bounce | hold
 * domain.partner.example.encrypt = required
 * domain.legacy.example.content-encryption = aes256-cbc
 * </pre>
 */
public final class PolicyFile implements PolicyProvider {
    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyFile.class);

    private final Path file;
    private volatile Loaded loaded;

    private record Loaded(FileTime modified, PolicyTable table) {
    }

    public PolicyFile(Path file) {
        this.file = file;
        this.loaded = new Loaded(FileTime.fromMillis(0), PolicyTable.EMPTY);
        refresh();
    }

    @Override
    public DomainPolicy forDomain(String domain) {
        refresh();
        return loaded.table().forDomain(domain);
    }

    private void refresh() {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            LOGGER.warn("Cannot read policy file {}: {}; keeping the policy in force", file, e.getMessage());
            return;
        }
        if (modified.equals(loaded.modified())) {
            return;
        }
        synchronized (this) {
            if (modified.equals(loaded.modified())) {
                return;
            }
            try {
                PolicyTable table = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
                loaded = new Loaded(modified, table);
                LOGGER.info("Policy loaded from {}", file);
            } catch (IOException | PolicyException e) {
                LOGGER.error("Policy file {} refused, keeping the previous policy: {}", file, e.getMessage());
                loaded = new Loaded(modified, loaded.table());
            }
        }
    }

    /** Parses the file's lines; the exception names the line and the setting that is wrong. */
    public static PolicyTable parse(List<String> lines) throws PolicyException {
        Map<String, Map<String, String>> settings = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i)).trim();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new PolicyException(i + 1, "expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
            String scope;
            String setting;
            if (key.startsWith("default.")) {
                scope = "";
                setting = key.substring("default.".length());
            } else if (key.startsWith("domain.") && key.lastIndexOf('.') > "domain.".length()) {
                scope = key.substring("domain.".length(), key.lastIndexOf('.'));
                setting = key.substring(key.lastIndexOf('.') + 1);
            } else {
                throw new PolicyException(i + 1, "key must start with 'default.' or 'domain.<domain>.', got '" + key + "'");
            }
            validate(i + 1, setting, value);
            settings.computeIfAbsent(scope, s -> new HashMap<>()).put(setting, value);
        }
        DomainPolicy defaults = apply(DomainPolicy.DEFAULT, settings.getOrDefault("", Map.of()));
        Map<String, DomainPolicy> domains = new HashMap<>();
        settings.forEach((scope, values) -> {
            if (!scope.isEmpty()) {
                domains.put(scope, apply(defaults, values));
            }
        });
        return new PolicyTable(defaults, domains);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private static void validate(int line, String setting, String value) throws PolicyException {
        List<String> allowed = switch (setting) {
            case "encrypt" -> List.of("off", "opportunistic", "required");
            case "sign" -> List.of("true", "false", "on", "off");
            case "content-encryption" -> List.of("aes256-gcm", "aes256-cbc");
            case "rsa-key-transport" -> List.of("oaep", "pkcs1");
            case "unencryptable" -> List.of("bounce", "hold");
            default -> throw new PolicyException(line, "unknown setting '" + setting
                + "' (known: encrypt, sign, content-encryption, rsa-key-transport, unencryptable)");
        };
        if (!allowed.contains(value)) {
            throw new PolicyException(line, "'" + setting + "' must be one of " + allowed + ", got '" + value + "'");
        }
    }

    private static DomainPolicy apply(DomainPolicy base, Map<String, String> values) {
        EncryptionMode mode = Optional.ofNullable(values.get("encrypt"))
            .map(v -> EncryptionMode.valueOf(v.toUpperCase(Locale.ROOT))).orElse(base.encryption());
        boolean sign = Optional.ofNullable(values.get("sign"))
            .map(v -> v.equals("true") || v.equals("on")).orElse(base.signOutbound());
        EncryptionPolicy.ContentEncryption content = Optional.ofNullable(values.get("content-encryption"))
            .map(v -> v.equals("aes256-cbc") ? EncryptionPolicy.ContentEncryption.AES256_CBC
                : EncryptionPolicy.ContentEncryption.AES256_GCM)
            .orElse(base.cms().content());
        EncryptionPolicy.RsaKeyTransport rsa = Optional.ofNullable(values.get("rsa-key-transport"))
            .map(v -> v.equals("pkcs1") ? EncryptionPolicy.RsaKeyTransport.PKCS1_V15
                : EncryptionPolicy.RsaKeyTransport.OAEP_SHA256)
            .orElse(base.cms().rsa());
        UnencryptableAction action = Optional.ofNullable(values.get("unencryptable"))
            .map(v -> UnencryptableAction.valueOf(v.toUpperCase(Locale.ROOT))).orElse(base.unencryptable());
        return new DomainPolicy(mode, sign, new EncryptionPolicy(content, rsa), action);
    }

    /** An immutable, validated policy. */
    public record PolicyTable(DomainPolicy defaults, Map<String, DomainPolicy> domains) implements PolicyProvider {
        static final PolicyTable EMPTY = new PolicyTable(DomainPolicy.DEFAULT, Map.of());

        public PolicyTable {
            domains = Map.copyOf(domains);
        }

        @Override
        public DomainPolicy forDomain(String domain) {
            return domains.getOrDefault(domain.toLowerCase(Locale.ROOT), defaults);
        }
    }

    /** A policy document that cannot be used, with the line at fault. */
    public static final class PolicyException extends Exception {
        public PolicyException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }
}
