package org.sealgate.held;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node's held mail, encrypted at rest (see {@link HeldMailStores}). The node's pipeline writes it; the node alone
 * releases, deletes and expires mail, on requests that the {@code sealgate mail held} command leaves in the store's
 * request directory (owner-only, like the whole data directory): there is no network path to a release.
 */
public interface HeldMailStore {

    /** The actions an administrator can request for a held mail. */
    enum Action { RELEASE, DELETE }

    /** A pending request, as the CLI left it. */
    record Request(String id, Action action) {
    }

    /** What {@link #list()} found: readable mails (oldest first) and, by id, why the others cannot be read. */
    record Listing(List<HeldMail> mails, Map<String, String> unreadable) {
    }

    /**
     * Seals and stores a mail; returns its metadata with the new id. The file appears complete or not at all.
     *
     * @throws HeldMailException when it cannot be written (the caller keeps the mail: nothing is lost)
     */
    HeldMail hold(HeldMail.Draft draft, byte[] content) throws HeldMailException;

    Listing list();

    /** Metadata only (does not decrypt the content). */
    HeldMail metadata(String id) throws HeldMailException;

    /** Metadata and content, authenticated: a changed, moved or foreign record is refused. */
    HeldMessage open(String id) throws HeldMailException;

    /** @return false when there was no such mail */
    boolean delete(String id) throws HeldMailException;

    /** Ids of mails held before {@code cutoff}, at most {@code max} (read from the clear header: no key needed). */
    List<String> heldBefore(Instant cutoff, int max);

    /** Leaves a request for the node; idempotent. */
    void request(String id, Action action) throws HeldMailException;

    /** At most {@code max} pending requests; names that are not requests are removed and never acted on. */
    List<Request> pendingRequests(int max);

    /** Removes a request once acted on (or found void). */
    void finish(Request request);

    /** True while a request for this id is pending. */
    boolean isRequested(String id, Action action);
}
