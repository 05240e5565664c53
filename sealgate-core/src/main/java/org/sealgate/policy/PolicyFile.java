package org.sealgate.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

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
 * domain.*.example.org.encrypt = required        # wildcard: any subdomain of example.org
 * user.ceo@corp.example.allow-plain = true         # one address
 * </pre>
 * The format and every setting are described in {@link PolicyRules} and {@link Setting}.
 */
public final class PolicyFile implements PolicyProvider {
    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyFile.class);

    private final Path file;
    private volatile Loaded loaded;

    private record Loaded(FileTime modified, PolicyRules rules) {
    }

    public PolicyFile(Path file) {
        this.file = file;
        this.loaded = new Loaded(FileTime.fromMillis(0), PolicyRules.EMPTY);
        refresh();
    }

    @Override
    public DomainPolicy forDomain(String domain) {
        refresh();
        return loaded.rules().forDomain(domain);
    }

    @Override
    public PolicySettings settingsFor(String address) {
        refresh();
        return loaded.rules().settingsFor(address);
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
                PolicyRules rules = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
                loaded = new Loaded(modified, rules);
                LOGGER.info("Policy loaded from {}", file);
            } catch (IOException | PolicyException e) {
                LOGGER.error("Policy file {} refused, keeping the previous policy: {}", file, e.getMessage());
                loaded = new Loaded(modified, loaded.rules());
            }
        }
    }

    /** Parses the file's lines; the exception names the line and the setting that is wrong. */
    public static PolicyRules parse(List<String> lines) throws PolicyException {
        return PolicyRules.parse(lines);
    }

    /** A policy document that cannot be used, with the line at fault. */
    public static final class PolicyException extends Exception {
        public PolicyException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }
}
