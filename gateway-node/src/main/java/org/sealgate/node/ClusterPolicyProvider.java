package org.sealgate.node;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.sealgate.policy.PolicyProvider;
import org.sealgate.policy.PolicyRules;
import org.sealgate.policy.PolicySettings;
import org.sealgate.zk.config.DomainConfig;
import org.sealgate.zk.watch.ConfigSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy from the cluster configuration the node's watcher holds, resolved by the same rules as
 * {@code policy.properties} ({@link PolicyRules}): each entry of {@code domains} (a name, a {@code *.} wildcard, an
 * address, or {@code *} for the defaults) is a scope with exactly the settings it writes, already typed by the
 * engine's own parsers when the document was read; a setting no scope sets has its built-in value. Each call reads
 * the snapshot in force, so a new version applies to the next mail without a restart. A node that has no snapshot
 * (ZooKeeper not reached, no last-known-good copy) has no policy: {@link #unavailable()} says so and mail waits;
 * it never runs on built-in defaults.
 */
final class ClusterPolicyProvider implements PolicyProvider {
    private static final Logger LOGGER = LoggerFactory.getLogger(ClusterPolicyProvider.class);

    private final Supplier<Optional<ConfigSnapshot>> snapshots;
    /** The rules of the last snapshot seen; rebuilt only when a different snapshot is in force. */
    private final AtomicReference<Table> table = new AtomicReference<>(new Table(null, PolicyRules.EMPTY));

    private record Table(ConfigSnapshot snapshot, PolicyRules rules) {
    }

    ClusterPolicyProvider(Supplier<Optional<ConfigSnapshot>> snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public Optional<String> unavailable() {
        if (snapshots.get().isEmpty()) {
            return Optional.of("no cluster configuration on this node: ZooKeeper not read and no last-known-good copy");
        }
        return Optional.empty();
    }

    @Override
    public PolicySettings settingsForDomain(String domain) {
        return rules().settingsForDomain(domain);
    }

    @Override
    public PolicySettings settingsFor(String address) {
        return rules().settingsFor(address);
    }

    private PolicyRules rules() {
        Optional<ConfigSnapshot> snapshot = snapshots.get();
        if (snapshot.isEmpty()) {
            return PolicyRules.EMPTY;
        }
        Table current = table.get();
        if (current.snapshot() != snapshot.get()) {
            current = new Table(snapshot.get(), toRules(snapshot.get().config().domains(), current.rules()));
            table.set(current);
        }
        return current.rules();
    }

    /** The document's scopes as the engine's rules, value for value; a scope it cannot take keeps the previous rules. */
    static PolicyRules toRules(List<DomainConfig> domains, PolicyRules previous) {
        PolicyRules.Builder rules = PolicyRules.builder();
        try {
            // "*" is the document's default scope, as it is the builder's; "*.suffix", names and addresses likewise.
            domains.forEach(domain -> domain.settings().forEach((setting, value) -> rules.set(domain.name(), setting, value)));
            return rules.build();
        } catch (IllegalArgumentException e) {
            LOGGER.error("Cluster configuration's domains cannot be used as policy, keeping the previous policy: {}",
                e.getMessage());
            return previous;
        }
    }
}
