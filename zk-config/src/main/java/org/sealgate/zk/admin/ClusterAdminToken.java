package org.sealgate.zk.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.sealgate.zk.store.ConfigAccessDeniedException;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.ZkLayout;

/**
 * The cluster admin token: one 256-bit secret with which the console and the CLI (as the ZooKeeper admin identity)
 * call every node's admin endpoint for held mail. It lives in {@value #TOKEN} with an ACL naming only the admin
 * identities (nodes and the GINA portal cannot read it). Nodes verify it against its SHA-256 in {@value #DIGEST},
 * which they may read (admins ALL, node READ, as {@code /config}); a preimage of a digest of 256 random bits cannot
 * be found, so reading the digest gives nothing to call a node with. The portal identity can read neither.
 * Created on first use by an admin, in one transaction (token and digest together).
 */
public final class ClusterAdminToken {
    public static final String FOLDER = "/admin";
    public static final String TOKEN = FOLDER + "/token";
    public static final String DIGEST = FOLDER + "/token-digest";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterAdminToken() {
    }

    /** The admin side: the token, made now when the cluster has none. {@code admin} is authenticated as an admin. */
    public static String readOrCreate(CuratorFramework admin) throws ConfigStoreException {
        Optional<String> existing = read(admin);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<ACL> configAcl;
        try {
            configAcl = admin.getACL().forPath(ZkLayout.CONFIG);
        } catch (KeeperException.NoNodeException e) {
            throw new ConfigStoreException("the cluster has no configuration yet ('sealgate config apply' first):"
                + " the admin token takes its ACL from " + ZkLayout.CONFIG, e);
        } catch (Exception e) {
            throw failure("cannot read the ACL of " + ZkLayout.CONFIG, e);
        }
        List<ACL> adminsOnly = new ArrayList<>();
        for (ACL acl : configAcl) {
            if (acl.getPerms() == Perms.ALL) {
                adminsOnly.add(acl);
            }
        }
        if (adminsOnly.isEmpty()) {
            throw new ConfigStoreException(ZkLayout.CONFIG + " names no admin identity; cannot protect the admin token", null);
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            if (admin.checkExists().forPath(FOLDER) == null) {
                try {
                    admin.create().withACL(new ArrayList<>(configAcl), true).forPath(FOLDER, new byte[0]);
                } catch (KeeperException.NodeExistsException e) {
                    // another admin meanwhile
                }
            }
            admin.transaction().forOperations(
                admin.transactionOp().create().withACL(new ArrayList<>(adminsOnly)).forPath(TOKEN,
                    token.getBytes(StandardCharsets.US_ASCII)),
                admin.transactionOp().create().withACL(new ArrayList<>(configAcl)).forPath(DIGEST, digest(token)));
            return token;
        } catch (KeeperException.NodeExistsException e) {
            return read(admin).orElseThrow(() -> new ConfigStoreException("the admin token appeared and went away", e));
        } catch (Exception e) {
            throw failure("cannot create the cluster admin token", e);
        }
    }

    /** The token when the cluster has one. */
    public static Optional<String> read(CuratorFramework admin) throws ConfigStoreException {
        try {
            return Optional.of(new String(admin.getData().forPath(TOKEN), StandardCharsets.US_ASCII).strip());
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw failure("cannot read the cluster admin token " + TOKEN, e);
        }
    }

    /** The node side: the token's SHA-256, empty when the cluster has no token yet. */
    public static Optional<byte[]> readDigest(CuratorFramework node) throws ConfigStoreException {
        try {
            return Optional.of(node.getData().forPath(DIGEST));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw failure("cannot read " + DIGEST, e);
        }
    }

    /** Whether {@code offered} is the token of {@code digest}; constant time in the offered value. */
    public static boolean matches(byte[] digest, String offered) {
        return offered != null && digest != null && digest.length == 32 && MessageDigest.isEqual(digest, digest(offered));
    }

    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.strip().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigStoreException failure(String what, Exception e) {
        if (e instanceof KeeperException.NoAuthException) {
            return new ConfigAccessDeniedException(what + ": not allowed for this identity", e);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new ConfigStoreException(what + ": " + e, e);
    }
}
