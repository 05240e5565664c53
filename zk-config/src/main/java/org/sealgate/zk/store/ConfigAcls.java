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
 * guard the key store (sealed private keys), so every reader authenticates. Two folders give nodes one more
 * right, CREATE, and nothing else: {@code /keys/harvested} (certificates a node harvested, visible to all),
 * {@code /nodes} (each node's ephemeral registry entry) and {@code /vip} (each node's ephemeral VRRP state). What a node creates there is admin ALL plus node READ
 * (registry entries: READ|WRITE, so the node can update its own health); a node can neither delete nor change a
 * harvested certificate, nor write anywhere else.
 */
public final class ConfigAcls {

    private ConfigAcls() {
    }

    public static List<ACL> adminWritesNodesRead(Id admin, Id node) {
        return List.of(new ACL(Perms.ALL, admin), new ACL(Perms.READ, node));
    }

    /**
     * The ACL of a folder where nodes may create children ({@code /keys/harvested}, {@code /nodes}), derived from the
     * store's ACL: admin entries unchanged, node entries READ|CREATE.
     */
    public static List<ACL> nodesMayCreate(List<ACL> storeAcl) {
        List<ACL> acls = new ArrayList<>();
        for (ACL acl : storeAcl) {
            acls.add(acl.getPerms() == Perms.ALL ? acl : new ACL(Perms.READ | Perms.CREATE, acl.getId()));
        }
        return Collections.unmodifiableList(acls);
    }

    /**
     * The ACL of the job leadership folder ({@code /jobs/leader}): as {@link #nodesMayCreate}, plus DELETE for nodes,
     * so a node can withdraw its candidacy when it stops its jobs without ending its whole ZooKeeper session.
     */
    public static List<ACL> nodesMayCreateAndDelete(List<ACL> storeAcl) {
        List<ACL> acls = new ArrayList<>();
        for (ACL acl : storeAcl) {
            acls.add(acl.getPerms() == Perms.ALL ? acl : new ACL(Perms.READ | Perms.CREATE | Perms.DELETE, acl.getId()));
        }
        return Collections.unmodifiableList(acls);
    }

    /**
     * What such a folder's data holds: the admin identities (one {@code scheme:id} per line, e.g.
     * {@code digest:admin:<base64 sha1>}). Nodes need them to give admins rights on what they create, and cannot
     * learn them from {@code getACL}: ZooKeeper shows digest identities only to clients with ADMIN rights.
     */
    public static byte[] adminTemplate(List<ACL> storeAcl) {
        StringBuilder text = new StringBuilder();
        for (ACL acl : storeAcl) {
            if (acl.getPerms() == Perms.ALL) {
                text.append(acl.getId().getScheme()).append(':').append(acl.getId().getId()).append('\n');
            }
        }
        return text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * The ACL of a znode a node creates in such a folder: ALL for the admins of the folder's template (see
     * {@link #adminTemplate}), and the node with {@code perms}.
     *
     * @throws IllegalStateException when the folder has no template (a store made before it existed; any admin
     *                               write, and {@code keys} commands, add it)
     */
    public static List<ACL> createdByNode(byte[] folderData, Id node, int perms) {
        List<ACL> acls = new ArrayList<>();
        for (String line : new String(folderData, java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                acls.add(new ACL(Perms.ALL, new Id(line.substring(0, colon), line.substring(colon + 1).strip())));
            }
        }
        if (acls.isEmpty()) {
            throw new IllegalStateException("the folder names no admin identity; an admin write"
                + " ('sealgate config apply', 'sealgate keys list') upgrades the store");
        }
        acls.add(new ACL(perms, node));
        return Collections.unmodifiableList(acls);
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
