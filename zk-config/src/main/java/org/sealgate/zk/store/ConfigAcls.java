package org.sealgate.zk.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * Who may do what under the chroot: the admin identity everything, the node identity READ, nobody else anything.
 * No world-read on purpose: the document names internal networks, hosts and the VIP layout, and the same ACLs
 * will guard the key store (encrypted private keys, account hashes), so every reader authenticates.
 */
public final class ConfigAcls {

    private ConfigAcls() {
    }

    public static List<ACL> adminWritesNodesRead(Id admin, Id node) {
        return List.of(new ACL(Perms.ALL, admin), new ACL(Perms.READ, node));
    }

    /** For the admin client: also the chroot node Curator creates on first use gets these ACLs. */
    public static ACLProvider provider(List<ACL> acls) {
        // Not List.copyOf: ZooKeeper.validateACL calls contains(null), which immutable JDK lists answer with an
        // NPE; Curator's namespace creation passes these lists to ZooKeeper as they are.
        List<ACL> copy = Collections.unmodifiableList(new ArrayList<>(acls));
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return copy;
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                return copy;
            }
        };
    }
}
