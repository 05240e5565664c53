package org.sealgate.gina.account;

import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;

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
     * For an administrator's client, once per cluster: creates {@link #ACCOUNTS_PATH} with ALL for the
     * administrators of the namespace root (the root's ALL entries) and for {@code gina}, the identity mailet and
     * portals share; and grants {@code gina} READ on the namespace root, which ZooKeeper 3.9 wants for the
     * {@code exists} check Curator makes on it before every operation. Idempotent.
     */
    public static void prepareFolder(CuratorFramework adminClient, Id gina) throws AccountStoreException {
        try {
            Stat rootStat = new Stat();
            List<ACL> root = new ArrayList<>(adminClient.getACL().storingStatIn(rootStat).forPath("/"));
            ACL read = new ACL(ZooDefs.Perms.READ, gina);
            if (root.stream().noneMatch(acl -> acl.getId().equals(gina))) {
                root.add(read);
                adminClient.setACL().withVersion(rootStat.getAversion()).withACL(root).forPath("/");
            }
            List<ACL> folder = new ArrayList<>();
            root.stream().filter(acl -> acl.getPerms() == ZooDefs.Perms.ALL).forEach(folder::add);
            folder.add(new ACL(ZooDefs.Perms.ALL, gina));
            for (String path : List.of(ZKPaths.getPathAndNode(ACCOUNTS_PATH).getPath(), ACCOUNTS_PATH)) {
                if (adminClient.checkExists().forPath(path) == null) {
                    try {
                        adminClient.create().withACL(folder).forPath(path);
                    } catch (KeeperException.NodeExistsException e) {
                        // created concurrently: fine
                    }
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new AccountStoreException("cannot prepare " + ACCOUNTS_PATH + " in ZooKeeper: " + e.getMessage(), e);
        }
    }

    /** A store in this JVM's memory only, with the same version semantics: single-process tools and tests. */
    public static AccountStore inMemory() {
        return new InMemoryAccountStore();
    }
}
