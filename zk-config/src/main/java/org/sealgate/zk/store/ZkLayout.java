package org.sealgate.zk.store;

import java.util.List;
import java.util.Locale;

/**
 * Where things live, relative to the chroot (Curator namespace, e.g. {@code sealgate}). The history node names
 * are the configuration version zero-padded to ten digits, so they sort by name and by number alike; we name them
 * ourselves instead of using {@code PERSISTENT_SEQUENTIAL} so that the name IS the version (a sequential counter
 * also counts deletions and would drift from the {@code /config} data version).
 */
public final class ZkLayout {
    /** The current document, raw YAML bytes; its ZooKeeper data version is the configuration version. */
    public static final String CONFIG = "/config";
    /** One child per applied version: author, hash and the document itself. */
    public static final String HISTORY = CONFIG + "/history";

    /** Key material; children named by SHA-256 fingerprint (hex) of the certificate or CRL. */
    public static final String KEYS = "/keys";
    /** Partner certificates imported by admins (PEM). */
    public static final String CERTS = KEYS + "/certs";
    /** Partner certificates harvested by nodes from valid signatures (PEM); nodes may only create here. */
    public static final String HARVESTED = KEYS + "/harvested";
    public static final String ANCHORS = KEYS + "/anchors";
    public static final String CRLS = KEYS + "/crls";
    /** Managed users' keys: certificate chain in clear, private key sealed under the cluster master key. */
    public static final String PRIVATE = KEYS + "/private";
    /** OpenPGP keys; children named by the key's fingerprint (hex), looked up by the addresses of its user IDs. */
    public static final String PGP = KEYS + "/pgp";
    /** Partner OpenPGP public keys imported by admins (binary packets). */
    public static final String PGP_PUBLIC = PGP + "/public";
    /** Partner OpenPGP public keys harvested by nodes from verified signatures; nodes may only create here. */
    public static final String PGP_HARVESTED = PGP + "/harvested";
    /** Managed users' OpenPGP secret keys, sealed under the cluster master key. */
    public static final String PGP_SECRET = PGP + "/secret";
    /**
     * Keys found by key discovery (WKD, HKP, LDAP), shared by the cluster; children named
     * {@code <kind>-<fingerprint>} (kind {@code smime} or {@code openpgp}). Nodes may create, replace and delete
     * here (each node stores what it found; the job leader evicts old entries); every use re-validates the key.
     */
    public static final String DISCOVERED = KEYS + "/discovered";
    /** The node registry: one ephemeral child per running node. */
    public static final String NODES = "/nodes";
    /** Who holds the GINA VIP: one ephemeral child per node whose {@code sealgate vip watch} runs (its VRRP state). */
    public static final String VIP = "/vip";

    /** Cluster-wide scheduled jobs: the leader election and what the jobs remember between leaders. */
    public static final String JOBS = "/jobs";
    /** Job leadership candidates: one ephemeral sequential child per node; the lowest sequence leads. */
    public static final String JOBS_LEADER = JOBS + "/leader";
    /** Expiry warnings sent: one child per key and threshold, so a new leader does not send them again. */
    public static final String JOBS_WARNED = JOBS + "/expiry-warned";

    /** GINA's subtree (accounts, throttle counters), prepared for the GINA identity by an admin. */
    public static final String GINA = "/gina";
    /**
     * The portal's share of the document (session lifetimes, ...), JSON; of the configuration, the GINA identity
     * may READ only this. Beside {@code /gina}, not in it: the GINA identity has ALL on {@code /gina} (accounts,
     * counters), so there it could delete the node and create its own.
     */
    public static final String GINA_SETTINGS = "/gina-settings";

    /** Live revocation shared by the nodes (apart from {@link #CRLS}, the CRLs an admin imported). */
    public static final String REVOCATION = "/revocation";
    /**
     * CRLs fetched from distribution points by a node (the job leader, or a node on a miss), for all others: one
     * child per URI, named by the SHA-256 (hex) of the URI, holding the URI, a newline and the CRL's DER. Nodes may
     * create and replace here; what they read here they check like a fetched CRL.
     */
    public static final String REVOCATION_CRLS = REVOCATION + "/crls";

    /** The key store's folders, in the order they are created. */
    public static final List<String> KEY_FOLDERS = List.of(KEYS, CERTS, HARVESTED, ANCHORS, CRLS, PRIVATE, PGP,
        PGP_PUBLIC, PGP_HARVESTED, PGP_SECRET, DISCOVERED);

    private ZkLayout() {
    }

    public static String historyPath(int version) {
        return HISTORY + "/" + String.format(Locale.ROOT, "%010d", version);
    }

    public static String child(String folder, String name) {
        return folder + "/" + name;
    }
}
