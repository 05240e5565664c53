package org.sealgate.gina.account;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.sealgate.gina.container.Addresses;

/** {@link AccountStore} in a map; versions behave as ZooKeeper data versions do (0 after create, +1 per write). */
final class InMemoryAccountStore implements AccountStore {
    private final ConcurrentMap<String, StoredAccount> accounts = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredAccount> find(String address) {
        return Optional.ofNullable(accounts.get(Addresses.normalise(address)));
    }

    @Override
    public StoredAccount create(GinaAccount account) throws AccountConflictException {
        StoredAccount stored = new StoredAccount(account, 0);
        if (accounts.putIfAbsent(Addresses.normalise(account.address()), stored) != null) {
            throw new AccountConflictException("an account for " + account.address() + " already exists");
        }
        return stored;
    }

    @Override
    public StoredAccount update(StoredAccount expected, GinaAccount next) throws AccountConflictException {
        StoredAccount stored = new StoredAccount(next, expected.version() + 1);
        String key = Addresses.normalise(expected.account().address());
        if (!accounts.replace(key, expected, stored)) {
            throw new AccountConflictException("the account for " + key + " was changed concurrently");
        }
        return stored;
    }

    @Override
    public void close() {
    }
}
