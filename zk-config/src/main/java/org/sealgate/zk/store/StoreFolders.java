package org.sealgate.zk.store;

import java.util.ArrayList;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the key store's folders, the node registry, VIP state and job folders if they are missing, with their ACLs (see
 * {@link ConfigAcls}). Idempotent and cheap, so admin commands call it every time: a store created by an older
 * version gets its new folders on the next admin write.
 */
public final class StoreFolders {
    private static final Logger LOGGER = LoggerFactory.getLogger(StoreFolders.class);

    private StoreFolders() {
    }

    /** @param storeAcl the ACL of {@code /config}: admin ALL, node READ */
    public static void ensure(CuratorFramework admin, List<ACL> storeAcl) throws ConfigStoreException {
        byte[] template = ConfigAcls.adminTemplate(storeAcl);
        for (String folder : ZkLayout.KEY_FOLDERS) {
            if (folder.equals(ZkLayout.HARVESTED) || folder.equals(ZkLayout.PGP_HARVESTED)) {
                create(admin, folder, ConfigAcls.nodesMayCreate(storeAcl), template);
            } else if (folder.equals(ZkLayout.DISCOVERED)) {
                // Nodes replace what they found and the job leader evicts old entries: CREATE and DELETE here.
                create(admin, folder, ConfigAcls.nodesMayCreateAndDelete(storeAcl), template);
            } else {
                create(admin, folder, storeAcl, new byte[0]);
            }
        }
        create(admin, ZkLayout.NODES, ConfigAcls.nodesMayCreate(storeAcl), template);
        create(admin, ZkLayout.VIP, ConfigAcls.nodesMayCreate(storeAcl), template);
        create(admin, ZkLayout.JOBS, storeAcl, new byte[0]);
        // Candidates may also withdraw (DELETE on the folder: a node steps down without closing its session).
        create(admin, ZkLayout.JOBS_LEADER, ConfigAcls.nodesMayCreateAndDelete(storeAcl), template);
        create(admin, ZkLayout.JOBS_WARNED, ConfigAcls.nodesMayCreate(storeAcl), template);
        create(admin, ZkLayout.REVOCATION, storeAcl, new byte[0]);
        create(admin, ZkLayout.REVOCATION_CRLS, ConfigAcls.nodesMayCreate(storeAcl), template);
    }

    private static void create(CuratorFramework admin, String path, List<ACL> acl, byte[] data) throws ConfigStoreException {
        try {
            if (admin.checkExists().forPath(path) != null) {
                if (data.length > 0 && !java.util.Arrays.equals(admin.getData().forPath(path), data)) {
                    admin.setData().forPath(path, data);
                }
                return;
            }
            admin.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).withACL(new ArrayList<>(acl), true)
                .forPath(path, data);
            LOGGER.info("Created {} in ZooKeeper", path);
        } catch (KeeperException.NodeExistsException e) {
            LOGGER.debug("{} exists already", path);
        } catch (KeeperException.NoAuthException e) {
            throw new ConfigAccessDeniedException("cannot create " + path + ": not allowed for this identity"
                + " (ZooKeeper NoAuth); this needs the admin credentials", e);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ConfigStoreException("cannot create " + path + ": " + e, e);
        }
    }
}
