package org.sealgate.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.sealgate.pgp.PgpKeyDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may receive mail in a managed domain, so that mail for anyone else is refused during the SMTP dialog instead
 * of bouncing later to a sender nobody verified (backscatter). A recipient is known when the node holds a managed
 * S/MIME identity or a managed OpenPGP key for the address, when the address is listed in the recipients file (one
 * address a line, {@code #} comments; re-read when it changes; optional), or when it is {@code postmaster} or
 * {@code abuse} (RFC 5321 §4.5.1, RFC 2142). Addresses compare by the gateway's one rule ({@link Addresses}).
 */
public final class KnownRecipients {
    private static final Logger LOGGER = LoggerFactory.getLogger(KnownRecipients.class);
    private static final Set<String> ROLE_ACCOUNTS = Set.of("postmaster", "abuse");

    private final KeyDirectory keys;
    private final PgpKeyDirectory pgpKeys;
    private final Optional<Path> listFile;
    private volatile Listed listed = new Listed(FileTime.fromMillis(0), Set.of());

    private record Listed(FileTime modified, Set<String> addresses) {
    }

    public KnownRecipients(KeyDirectory keys, PgpKeyDirectory pgpKeys, Optional<Path> listFile) {
        this.keys = keys;
        this.pgpKeys = pgpKeys;
        this.listFile = listFile;
    }

    /** Whether this address (in a managed domain) has a mailbox the gateway knows of. */
    public boolean isKnown(String address) {
        String normalised = Addresses.normalise(address);
        int at = normalised.lastIndexOf('@');
        if (at > 0 && ROLE_ACCOUNTS.contains(normalised.substring(0, at))) {
            return true;
        }
        // The key stores apply the same address rule to their look-ups: one look-up each.
        return listed().contains(normalised) || keys.managedIdentity(normalised).isPresent()
            || pgpKeys.managedKey(normalised).isPresent();
    }

    private Set<String> listed() {
        if (listFile.isEmpty()) {
            return Set.of();
        }
        Path file = listFile.get();
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Listed current = listed;
            if (!modified.equals(current.modified())) {
                Set<String> addresses = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(line -> line.replaceFirst("#.*", "").trim())
                    .filter(line -> !line.isEmpty())
                    .map(Addresses::normalise)
                    .collect(Collectors.toUnmodifiableSet());
                current = new Listed(modified, addresses);
                listed = current;
                LOGGER.info("Recipients file {}: {} addresses", file, addresses.size());
            }
            return current.addresses();
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IOException e) {
            // Keep the last list read: an unreadable file must not turn known users away, nor let strangers in.
            LOGGER.warn("Cannot read recipients file {}: {}; keeping the list read before", file, e.getMessage());
            return listed.addresses();
        }
    }
}
