package org.sealgate.gina.account;

import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

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
     * For an administrator, once per cluster: creates {@code /gina} and {@code /gina/accounts} so that the GINA
     * digest identity (shared by the mailet and the portals) may do everything below them, and lets that identity
     * READ the namespace node itself (Curator checks it exists before first use; it holds no data). Idempotent.
     *
     * @param admin a started client authenticated as an identity with ALL on the namespace node
     */
    public static void prepare(CuratorFramework admin, Id adminIdentity, Id ginaIdentity) throws AccountStoreException {
        List<ACL> acls = new ArrayList<>(List.of(new ACL(Perms.ALL, adminIdentity), new ACL(Perms.ALL, ginaIdentity)));
        try {
            if (admin.checkExists().forPath("/") != null) {
                List<ACL> chroot = new ArrayList<>(admin.getACL().forPath("/"));
                ACL ginaRead = new ACL(Perms.READ, ginaIdentity);
                if (!chroot.contains(ginaRead) && chroot.stream().noneMatch(a -> a.getId().equals(ginaIdentity))) {
                    chroot.add(ginaRead);
                    admin.setACL().withACL(chroot).forPath("/");
                }
            }
            for (String path : List.of("/gina", ACCOUNTS_PATH)) {
                try {
                    admin.create().creatingParentsIfNeeded().withACL(acls).forPath(path);
                } catch (KeeperException.NodeExistsException e) {
                    // prepared before
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new AccountStoreException("could not prepare " + ACCOUNTS_PATH + " in ZooKeeper: " + e.getMessage(), e);
        }
    }

    /** A store in this JVM's memory only, with the same version semantics: single-process tools and tests. */
    public static AccountStore inMemory() {
        return new InMemoryAccountStore();
    }
}
