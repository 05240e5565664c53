package org.sealgate.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.sealgate.delivery.NextHop;
import org.sealgate.smtp.TrustedNetworks;
import org.sealgate.zk.config.ClusterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node settings the cluster document decides while the node runs: the next hop (document {@code next-hop},
 * else {@code delivery.relay}) and the trusted networks (document {@code trusted-networks} when it lists any, else
 * {@code smtp.trusted-networks}). Both apply at once ({@link org.sealgate.delivery.LiveRemoteDelivery},
 * {@link org.sealgate.smtp.TrustedClients}). What cannot change without a restart is reported instead
 * ({@link #restartRequired()}): whether the node has a next hop at all (relay or DATA/mail files is chosen when
 * James's pipeline is rendered at start).
 */
final class LiveSettings implements NextHop, TrustedNetworks {
    private static final Logger LOGGER = LoggerFactory.getLogger(LiveSettings.class);

    private final NodeSettings configured;
    /** Whether the node was started with a next hop: decides the rendered delivery route. */
    private final boolean relayAtStart;
    private final List<Runnable> hopListeners = new CopyOnWriteArrayList<>();
    private volatile Optional<String> nextHop;
    private volatile List<String> trustedNetworks;
    private volatile Optional<String> restartRequired = Optional.empty();

    private LiveSettings(NodeSettings configured, Optional<ClusterConfig> config) {
        this.configured = configured;
        this.nextHop = nextHop(configured, config);
        this.trustedNetworks = trustedNetworks(configured, config);
        this.relayAtStart = nextHop.isPresent();
    }

    /** A node without ZooKeeper: {@code sealgate.properties} alone, fixed. */
    static LiveSettings standalone(NodeSettings configured) {
        return new LiveSettings(configured, Optional.empty());
    }

    /** A cluster node, starting from the document in force ({@code config}, empty when none yet). */
    static LiveSettings fromDocument(NodeSettings configured, Optional<ClusterConfig> config) {
        LiveSettings live = new LiveSettings(configured, config);
        if (!live.trustedNetworks.equals(configured.trustedNetworks())) {
            LOGGER.info("Trusted networks from the cluster configuration: {} (sealgate.properties says {})",
                live.trustedNetworks, configured.trustedNetworks());
        }
        return live;
    }

    /** The settings James's configuration is rendered from at start. */
    NodeSettings startSettings() {
        return configured.withTrustedNetworks(trustedNetworks).withRelay(nextHop);
    }

    /** A new document version is in force: apply what can be applied, report what cannot. */
    synchronized void apply(ClusterConfig config, long version) {
        List<String> networks = trustedNetworks(configured, Optional.of(config));
        if (!networks.equals(trustedNetworks)) {
            LOGGER.info("Configuration version {}: trusted networks now {} (were {})", version, networks, trustedNetworks);
            trustedNetworks = networks;
        }
        Optional<String> hop = nextHop(configured, Optional.of(config));
        List<String> restart = new ArrayList<>();
        if (hop.isPresent() != relayAtStart) {
            restart.add(hop.isPresent()
                ? "next-hop " + hop.get() + " of version " + version + " (the node started without one and stores mail to files)"
                : "no next-hop in version " + version + " (still relaying to " + nextHop.orElse("?") + ")");
        }
        if (hop.isPresent() && relayAtStart && !hop.equals(nextHop)) {
            LOGGER.info("Configuration version {}: next hop now {} (was {})", version, hop.get(), nextHop.orElse("none"));
            nextHop = hop;
            hopListeners.forEach(LiveSettings::tell);
        }
        restartRequired = restart.isEmpty() ? Optional.empty() : Optional.of("restart required: " + String.join("; ", restart));
        restartRequired.ifPresent(reason -> LOGGER.warn("Configuration version {}: {}", version, reason));
    }

    /** Empty while everything in the document is in force; else "restart required: ..." with what and why. */
    Optional<String> restartRequired() {
        return restartRequired;
    }

    @Override
    public Optional<String> current() {
        return nextHop;
    }

    @Override
    public AutoCloseable subscribe(Runnable listener) {
        hopListeners.add(listener);
        return () -> hopListeners.remove(listener);
    }

    @Override
    public List<String> networks() {
        return trustedNetworks;
    }

    private static void tell(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOGGER.error("A next-hop listener failed: {}", e.toString());
        }
    }

    private static Optional<String> nextHop(NodeSettings configured, Optional<ClusterConfig> config) {
        return config.flatMap(ClusterConfig::nextHop).or(configured::relay);
    }

    private static List<String> trustedNetworks(NodeSettings configured, Optional<ClusterConfig> config) {
        return config.map(ClusterConfig::trustedNetworks).filter(networks -> !networks.isEmpty())
            .orElse(configured.trustedNetworks());
    }
}
