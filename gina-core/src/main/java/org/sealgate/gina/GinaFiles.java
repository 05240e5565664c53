package org.sealgate.gina;

/**
 * Where a node's data directory keeps GINA's secrets, relative to it, so the gateway (mailet) and the portal of
 * one node find the same files: the portal's directory is {@code DATA/gina} (as the demo runs it), its key ring
 * {@code gina.keys} there. Both files are owner-only and handed to every node out of band; neither goes into
 * ZooKeeper.
 */
public final class GinaFiles {
    /** The cluster GINA key ring ({@link org.sealgate.gina.key.KeyRing} file format). */
    public static final String KEY_RING = "gina/gina.keys";
    /** The digest identity ({@code gina:password}) with which mailet and portal reach the accounts in ZooKeeper. */
    public static final String ZK_CREDENTIALS = "secrets/zk-gina.credentials";
    /** The user name of that identity. */
    public static final String ZK_USER = "gina";

    private GinaFiles() {
    }
}
