package org.sealgate.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy read from a small properties-style file ({@code <data>/policy.properties}), re-read when it changes.
 * A broken file is refused with the line that is wrong and the previous policy stays in force. A file that cannot
 * be read or parsed before any version of it loaded leaves the node without a policy ({@link #unavailable()}: mail
 * waits) rather than on built-in defaults; it is tried again on every use until it loads. No file at all means the
 * built-in defaults.
 * With a check interval ({@link #PolicyFile(Path, Duration, Clock)}, the node uses {@link #NODE_CHECK_INTERVAL}), a
 * loaded policy's file is looked at (its modification time) at most once per interval instead of on every look-up
 * (about four per mail): an edit takes effect within that interval. While no policy is in force the file is still
 * read on every use, so mail is accepted again as soon as it is fixed.
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

    /** How stale the node's policy may be after an edit of the file. */
    public static final Duration NODE_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final Path file;
    private final long checkIntervalMillis;
    private final Clock clock;
    /** When the file may be looked at next; only advanced once a policy is in force. */
    private volatile long nextCheckMillis = Long.MIN_VALUE;
    private volatile Loaded loaded;
    /** Set while no version of the file has loaded and the file is there but unusable: the cause. */
    private volatile String unavailable;
    private boolean everLoaded;

    private record Loaded(FileTime modified, PolicyRules rules) {
    }

    /** Looks at the file on every use: an edit takes effect at the next look-up. */
    public PolicyFile(Path file) {
        this(file, Duration.ZERO, Clock.systemUTC());
    }

    /** Looks at the file at most once per {@code checkInterval} while a policy is in force. */
    public PolicyFile(Path file, Duration checkInterval, Clock clock) {
        if (checkInterval.isNegative()) {
            throw new IllegalArgumentException("negative check interval " + checkInterval);
        }
        this.file = file;
        this.checkIntervalMillis = checkInterval.toMillis();
        this.clock = clock;
        this.loaded = new Loaded(FileTime.fromMillis(0), PolicyRules.EMPTY);
        refresh();
    }

    @Override
    public PolicySettings settingsForDomain(String domain) {
        refresh();
        return loaded.rules().settingsForDomain(domain);
    }

    @Override
    public PolicySettings settingsFor(String address) {
        refresh();
        return loaded.rules().settingsFor(address);
    }

    @Override
    public Optional<String> unavailable() {
        refresh();
        return Optional.ofNullable(unavailable);
    }

    private void refresh() {
        if (checkIntervalMillis > 0) {
            long now = clock.millis();
            if (now < nextCheckMillis && unavailable == null) {
                return;
            }
            check();
            // Set after the look: a look-up racing an edit at worst looks again, never skips a whole interval more.
            nextCheckMillis = now + checkIntervalMillis;
        } else {
            check();
        }
    }

    private void check() {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            synchronized (this) {
                if (!everLoaded) {
                    refuse("policy file " + file + " cannot be read: " + e.getMessage());
                    return;
                }
            }
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
                everLoaded = true;
                if (unavailable != null) {
                    LOGGER.info("Policy file {} loaded: mail is accepted again", file);
                }
                unavailable = null;
                LOGGER.info("Policy loaded from {}", file);
            } catch (IOException | PolicyException e) {
                if (!everLoaded) {
                    // Not remembered as seen: a permission fix does not change the time, so read again next time.
                    refuse("policy file " + file + (e instanceof IOException ? " cannot be read: " : " refused: ")
                        + e.getMessage());
                    return;
                }
                LOGGER.error("Policy file {} refused, keeping the previous policy: {}", file, e.getMessage());
                loaded = new Loaded(modified, loaded.rules());
            }
        }
    }

    /** No policy has ever loaded: say why once per cause, and let nothing be decided. */
    private void refuse(String cause) {
        if (!cause.equals(unavailable)) {
            LOGGER.error("No policy in force, mail is refused (451) and held until the file loads: {}", cause);
        }
        unavailable = cause;
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
