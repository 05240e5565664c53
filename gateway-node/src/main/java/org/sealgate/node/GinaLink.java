package org.sealgate.node;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.curator.framework.CuratorFramework;
import org.sealgate.gina.account.AccountStores;
import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.account.LockoutPolicy;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.gina.mail.GinaBackend;
import org.sealgate.gina.mail.GinaUnavailableException;
import org.sealgate.gina.throttle.GinaLimits;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.tls.ZkTlsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of GINA: its own Curator client authenticated as the GINA identity (the portal's, not the
 * node's read-only one) for the replicated accounts, the key ring file (re-read when it changes, so a rotation
 * applies without restart) and the portal URL. Without ZooKeeper there is no account store the portal could see,
 * so GINA is then unavailable and the mailet holds mail routed to it.
 */
final class GinaLink implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(GinaLink.class);
    private static final Duration CONNECT = Duration.ofSeconds(10);

    private final GinaNodeSettings settings;
    private final CuratorFramework client;
    private final GinaAccounts accounts;
    private final Supplier<Optional<URI>> clusterPortal;
    private final String unavailable;
    private CachedRing ring;

    private record CachedRing(FileTime modified, KeyRing ring) {
    }

    private GinaLink(GinaNodeSettings settings, CuratorFramework client, Supplier<Optional<URI>> clusterPortal,
                     String unavailable) {
        this.settings = settings;
        this.client = client;
        this.clusterPortal = clusterPortal;
        this.unavailable = unavailable;
        // Limits in ZooKeeper: a sender reset counts for every gateway node and portal (one per recipient per interval).
        this.accounts = client == null ? null : new GinaAccounts(AccountStores.zooKeeper(client, AccountStores.creatorOnly()),
            PasswordHasher.STRONG, GinaLimits.zooKeeper(client, AccountStores.creatorOnly(), LockoutPolicy.DEFAULT,
                Clock.systemUTC()), GinaAccounts.FIRST_PASSWORD_LIFETIME, Clock.systemUTC());
    }

    /**
     * @param cluster       the node's ZooKeeper settings; empty for a standalone node (then GINA is unavailable)
     * @param clusterPortal the portal URL from the cluster document's {@code gina} section, if any
     */
    static GinaLink start(GinaNodeSettings settings, Optional<ClusterSettings> cluster, Supplier<Optional<URI>> clusterPortal)
        throws IOException {
        return start(settings, cluster, Optional.empty(), clusterPortal);
    }

    /** As above; {@code tls}: the node's ZooKeeper TLS settings (its certificate; the GINA digest identity on top). */
    static GinaLink start(GinaNodeSettings settings, Optional<ClusterSettings> cluster, Optional<ZkTlsSettings> tls,
                          Supplier<Optional<URI>> clusterPortal) throws IOException {
        if (cluster.isEmpty()) {
            return new GinaLink(settings, null, clusterPortal,
                "GINA is not available on this node: its accounts live in ZooKeeper and the node has no zk.connect");
        }
        if (!Files.exists(settings.credentials())) {
            return new GinaLink(settings, null, clusterPortal,
                "GINA is not available on this node: no GINA ZooKeeper identity in " + settings.credentials());
        }
        DigestCredentials credentials = DigestCredentials.fromFile(settings.credentials());
        CuratorFramework client = ZkClients.node(cluster.get().connect(), cluster.get().namespace(), credentials, tls);
        client.start();
        try {
            if (!client.blockUntilConnected((int) CONNECT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOGGER.warn("GINA: ZooKeeper not reached within {} s; mail for GINA is held until it is", CONNECT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOGGER.info("GINA accounts in ZooKeeper {} as {}, key ring {}", cluster.get().connect(), credentials,
            settings.keyRing());
        return new GinaLink(settings, client, clusterPortal, null);
    }

    GinaBackend backend() {
        return this::access;
    }

    private GinaBackend.Access access() throws GinaUnavailableException {
        if (unavailable != null) {
            throw new GinaUnavailableException(unavailable);
        }
        if (!client.getZookeeperClient().isConnected()) {
            throw new GinaUnavailableException("GINA's account store is unreachable: no connection to ZooKeeper");
        }
        URI portal = settings.portalUrl().or(clusterPortal).orElseThrow(() -> new GinaUnavailableException(
            "no GINA portal URL: set " + GinaNodeSettings.PORTAL_URL + " or gina.host-name in the cluster configuration"));
        return new GinaBackend.Access(keyRing(), accounts, portal);
    }

    private synchronized KeyRing keyRing() throws GinaUnavailableException {
        Path file = settings.keyRing();
        try {
            if (!Files.exists(file)) {
                throw new GinaUnavailableException("no GINA key ring at " + file
                    + " (copy the cluster's key ring there, readable by the node's user only)");
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new GinaUnavailableException("the GINA key ring " + file + " is readable by others: chmod 600 it");
            }
            FileTime modified = Files.getLastModifiedTime(file);
            if (ring == null || !ring.modified().equals(modified)) {
                ring = new CachedRing(modified, KeyRing.load(file));
                LOGGER.info("GINA key ring loaded: {}", ring.ring());
            }
            return ring.ring();
        } catch (IOException e) {
            throw new GinaUnavailableException("the GINA key ring cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
