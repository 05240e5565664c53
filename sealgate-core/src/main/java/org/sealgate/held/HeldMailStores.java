package org.sealgate.held;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Opens held-mail stores. On disk, {@code DIR/<id>.held} is one mail: a short clear header (format, id, time held,
 * key id) and two AES-256-GCM sealed parts (the metadata, then the message), each under the mail's own key (derived
 * from {@link HeldMailKey} and the id) with a fresh 96-bit nonce and the header as associated data, so a record
 * renamed, edited or sealed under another key does not open. {@code DIR/requests/<id>.release|delete} are the
 * administrator's pending requests. Directories are owner-only, files 0600.
 */
public final class HeldMailStores {

    private HeldMailStores() {
    }

    public static HeldMailStore open(Path directory, HeldMailKey key) {
        return new FileHeldMailStore(directory, key, List.of(), Clock.systemUTC());
    }

    /** @param earlierKeys keys the node sealed with before (e.g. its local key before it joined a cluster): they still open */
    public static HeldMailStore open(Path directory, HeldMailKey key, List<HeldMailKey> earlierKeys) {
        return new FileHeldMailStore(directory, key, earlierKeys, Clock.systemUTC());
    }

    public static HeldMailStore open(Path directory, HeldMailKey key, Clock clock) {
        return new FileHeldMailStore(directory, key, List.of(), clock);
    }
}
