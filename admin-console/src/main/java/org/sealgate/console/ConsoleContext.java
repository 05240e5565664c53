package org.sealgate.console;

import java.time.Clock;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.ACL;
import org.sealgate.gina.throttle.Throttle;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.zk.console.AdminAccounts;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.ZkLayout;

/**
 * The services behind the console's pages.
 *
 * @param zooKeeper started client authenticated as the ZooKeeper admin identity
 * @param throttle  login failures per admin name and per client address
 * @param keys      the cluster's key store (started): listed, partner certificates imported
 * @param pgpKeys   the cluster's OpenPGP key store (started): partner public keys listed and imported
 */
record ConsoleContext(CuratorFramework zooKeeper, AdminAccounts accounts, ConsoleSessions sessions, Throttle throttle,
                      ConsoleAudit audit, AuditSearch auditSearch, HeldMail heldMail, KeyDirectory keys, PgpKeyDirectory pgpKeys,
                      LiveCounters counters,
                      Clock clock) {

    /** A store for reading (creates nothing). */
    ConfigStore reader() {
        return new ConfigStore(zooKeeper, List.of(), "");
    }

    /** A store writing as this admin (the history records {@code console:NAME}), with {@code /config}'s own ACL. */
    ConfigStore writer(String admin) throws ConfigStoreException {
        List<ACL> acl;
        try {
            acl = zooKeeper.getACL().forPath(ZkLayout.CONFIG);
        } catch (Exception e) {
            throw new ConfigStoreException("cannot read the ACL of " + ZkLayout.CONFIG + ": " + e, e);
        }
        return new ConfigStore(zooKeeper, acl, "console:" + admin);
    }

    boolean zooKeeperConnected() {
        return zooKeeper.getZookeeperClient().isConnected();
    }
}
