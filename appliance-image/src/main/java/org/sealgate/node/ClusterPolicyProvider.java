package org.sealgate.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.sealgate.policy.DomainPolicy;
import org.sealgate.policy.PolicyFile;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.policy.PolicyRules;
import org.sealgate.policy.PolicySettings;
import org.sealgate.zk.config.DomainConfig;
import org.sealgate.zk.watch.ConfigSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy from the cluster configuration the node's watcher holds, resolved by the same rules as
 * {@code policy.properties} ({@link PolicyRules}): each listed domain (a name, or a {@code *.} wildcard) becomes a
 * domain scope with every setting the document has; an entry named {@code *} becomes the default scope for every
 * domain not listed; without it, unlisted domains get the built-in defaults. Each call reads
 * the snapshot in force, so a new version applies to the next mail without a restart.
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
    public DomainPolicy forDomain(String domain) {
        return rules().forDomain(domain);
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

    /** The domains as policy lines, read by the policy parser; a domain it cannot take keeps the previous rules. */
    static PolicyRules toRules(List<DomainConfig> domains, PolicyRules previous) {
        List<String> lines = new ArrayList<>();
        for (DomainConfig domain : domains) {
            // "*" is the document's default scope; "*.suffix" and plain names are domain scopes.
            String prefix = domain.name().equals("*") ? "default." : "domain." + domain.name() + ".";
            lines.add(prefix + "encrypt = " + domain.encrypt().name());
            lines.add(prefix + "sign = " + domain.sign());
            lines.add(prefix + "content-encryption = " + domain.contentEncryption().name().replace('_', '-'));
            lines.add(prefix + "rsa-key-transport = " + domain.rsaKeyTransport().name());
            lines.add(prefix + "fallback = " + domain.unencryptable().name());
            lines.add(prefix + "tls = " + domain.tls().name());
            lines.add(prefix + "use-harvested-keys = " + domain.useHarvestedKeys());
            if (!domain.methods().isEmpty()) {
                lines.add(prefix + "methods = " + domain.methods().stream().map(Enum::name).collect(Collectors.joining(", ")));
            }
        }
        try {
            return PolicyRules.parse(lines);
        } catch (PolicyFile.PolicyException e) {
            LOGGER.error("Cluster configuration's domains cannot be used as policy, keeping the previous policy: {}",
                e.getMessage());
            return previous;
        }
    }
}
