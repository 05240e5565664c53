package org.sealgate.gina.account;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.sealgate.gina.container.Addresses;

/**
 * Accounts as znodes {@code /gina/accounts/<base64url(address)>} holding {@link AccountJson}; the znode's data
 * version is the account version, and updates are {@code setData(...).withVersion(expected)}, so ZooKeeper
 * itself refuses a write based on a stale read. Reads go to the connected server; ZooKeeper replicates writes
 * to the ensemble before acknowledging them.
 */
final class ZkAccountStore implements AccountStore {
    private final CuratorFramework client;
    private final List<ACL> acls;

    ZkAccountStore(CuratorFramework client, List<ACL> acls) {
        this.client = client;
        // Not List.copyOf: ZooKeeper's ACL validation calls contains(null), which immutable lists refuse.
        this.acls = new ArrayList<>(acls);
    }

    static String path(String address) {
        String normalized = Addresses.normalise(address);
        return AccountStores.ACCOUNTS_PATH + "/"
            + Base64.getUrlEncoder().withoutPadding().encodeToString(normalized.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<StoredAccount> find(String address) throws AccountStoreException {
        String path = path(address);
        try {
            Stat stat = new Stat();
            byte[] data = client.getData().storingStatIn(stat).forPath(path);
            return Optional.of(new StoredAccount(AccountJson.read(data), stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new AccountStoreException("account record " + path + " is unreadable: " + e.getMessage(), e);
        } catch (Exception e) {
            throw failure("read", path, e);
        }
    }

    @Override
    public StoredAccount create(GinaAccount account) throws AccountStoreException {
        String path = path(account.address());
        try {
            client.create().creatingParentsIfNeeded().withACL(acls, true).forPath(path, AccountJson.write(account));
            return new StoredAccount(account, 0);
        } catch (KeeperException.NodeExistsException e) {
            throw new AccountConflictException("an account for " + account.address() + " already exists");
        } catch (Exception e) {
            throw failure("create", path, e);
        }
    }

    @Override
    public StoredAccount update(StoredAccount expected, GinaAccount next) throws AccountStoreException {
        String path = path(expected.account().address());
        try {
            Stat stat = client.setData().withVersion(expected.version()).forPath(path, AccountJson.write(next));
            return new StoredAccount(next, stat.getVersion());
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            throw new AccountConflictException("the account for " + expected.account().address() + " was changed concurrently");
        } catch (Exception e) {
            throw failure("update", path, e);
        }
    }

    private static AccountStoreException failure(String what, String path, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (e instanceof KeeperException.NoAuthException) {
            return new AccountStoreException("ZooKeeper refused to " + what + " " + path
                + ": the GINA identity lacks permission (check the credentials file and the ACLs)", e);
        }
        return new AccountStoreException("could not " + what + " " + path + " in ZooKeeper: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        // The Curator client belongs to the caller.
    }
}
