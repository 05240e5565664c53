package org.sealgate.gina.account;

import java.util.Optional;

/**
 * Where GINA accounts live. Every write names the version it read, so two portal nodes (or a portal and the
 * mailet) changing the same account at once cannot silently overwrite each other: the loser gets
 * {@link AccountConflictException} and re-reads. Build one with {@link AccountStores}.
 */
public interface AccountStore extends AutoCloseable {

    Optional<StoredAccount> find(String address) throws AccountStoreException;

    /** Creates the account; {@link AccountConflictException} if one already exists for the address. */
    StoredAccount create(GinaAccount account) throws AccountStoreException;

    /** Replaces the account if it is still at {@code expected.version()}. */
    StoredAccount update(StoredAccount expected, GinaAccount next) throws AccountStoreException;

    /** Releases what the store holds (not the Curator client it was given). Idempotent. */
    @Override
    void close();
}
