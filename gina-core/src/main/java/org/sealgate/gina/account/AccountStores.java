package org.sealgate.gina.account;

import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/** Factories for {@link AccountStore}. */
public final class AccountStores {
    /** Accounts live under this path of the Curator namespace (e.g. {@code /sealgate/gina/accounts}). */
    public static final String ACCOUNTS_PATH = "/gina/accounts";

    private AccountStores() {
    }

    /**
     * Accounts in ZooKeeper through a started Curator client, each znode created with {@code acls}. The caller
     * owns the client and closes it after the store.
     */
    public static AccountStore zooKeeper(CuratorFramework client, List<ACL> acls) {
        return new ZkAccountStore(client, acls);
    }

    /**
     * ACLs for accounts when every GINA process (mailet and portals) authenticates as one digest identity:
     * that identity may do everything, nobody else anything (account hashes are never world-readable).
     */
    public static List<ACL> creatorOnly() {
        return ZooDefs.Ids.CREATOR_ALL_ACL;
    }

    /**
     * For an administrator's client: creates {@link #ACCOUNTS_PATH} (and its parent) with {@code folderAcls}, unless
     * it exists. Needed where the Curator namespace belongs to the admin identity (nodes may only read there): the
     * folder's ACL must give the GINA identity ALL, so that mailet and portals can create accounts in it.
     */
    public static void createFolder(CuratorFramework adminClient, List<ACL> folderAcls) throws AccountStoreException {
        try {
            if (adminClient.checkExists().forPath(ACCOUNTS_PATH) == null) {
                // Not List.copyOf: ZooKeeper's ACL validation calls contains(null), which immutable lists refuse.
                adminClient.create().creatingParentsIfNeeded().withACL(new java.util.ArrayList<>(folderAcls), true)
                    .forPath(ACCOUNTS_PATH);
            }
        } catch (org.apache.zookeeper.KeeperException.NodeExistsException e) {
            // created concurrently: fine
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new AccountStoreException("cannot create " + ACCOUNTS_PATH + " in ZooKeeper: " + e.getMessage(), e);
        }
    }

    /** A store in this JVM's memory only, with the same version semantics: single-process tools and tests. */
    public static AccountStore inMemory() {
        return new InMemoryAccountStore();
    }
}
