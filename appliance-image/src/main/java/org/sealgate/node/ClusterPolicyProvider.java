package org.sealgate.node;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.sealgate.crypto.EncryptionPolicy;
import org.sealgate.policy.DomainPolicy;
import org.sealgate.policy.EncryptionMode;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.policy.UnencryptableAction;
import org.sealgate.zk.config.DomainConfig;
import org.sealgate.zk.watch.ConfigSnapshot;

/**
 * Domain policies from the cluster configuration the node's watcher holds. Each call reads the snapshot in force,
 * so a new version applies to the next mail without a restart; domains the document does not list get
 * {@link DomainPolicy#DEFAULT}, as with {@code policy.properties}.
 */
final class ClusterPolicyProvider implements PolicyProvider {
    private final Supplier<Optional<ConfigSnapshot>> snapshots;
    /** The table of the last snapshot seen; rebuilt only when a different snapshot is in force. */
    private final AtomicReference<Table> table = new AtomicReference<>(new Table(null, Map.of()));

    private record Table(ConfigSnapshot snapshot, Map<String, DomainPolicy> byDomain) {
    }

    ClusterPolicyProvider(Supplier<Optional<ConfigSnapshot>> snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public DomainPolicy forDomain(String domain) {
        Optional<ConfigSnapshot> snapshot = snapshots.get();
        if (snapshot.isEmpty()) {
            return DomainPolicy.DEFAULT;
        }
        Table current = table.get();
        if (current.snapshot() != snapshot.get()) {
            current = new Table(snapshot.get(), snapshot.get().config().domains().stream()
                .collect(Collectors.toUnmodifiableMap(d -> d.name().toLowerCase(java.util.Locale.ROOT),
                    ClusterPolicyProvider::toPolicy, (first, second) -> first)));
            table.set(current);
        }
        return current.byDomain().getOrDefault(domain.toLowerCase(java.util.Locale.ROOT), DomainPolicy.DEFAULT);
    }

    static DomainPolicy toPolicy(DomainConfig domain) {
        EncryptionPolicy cms = new EncryptionPolicy(
            switch (domain.contentEncryption()) {
                case AES256_GCM -> EncryptionPolicy.ContentEncryption.AES256_GCM;
                case AES256_CBC -> EncryptionPolicy.ContentEncryption.AES256_CBC;
            },
            switch (domain.rsaKeyTransport()) {
                case OAEP -> EncryptionPolicy.RsaKeyTransport.OAEP_SHA256;
                case PKCS1 -> EncryptionPolicy.RsaKeyTransport.PKCS1_V15;
            });
        EncryptionMode encryption = switch (domain.encrypt()) {
            case OFF -> EncryptionMode.OFF;
            case OPPORTUNISTIC -> EncryptionMode.OPPORTUNISTIC;
            case REQUIRED -> EncryptionMode.REQUIRED;
        };
        UnencryptableAction unencryptable = switch (domain.unencryptable()) {
            case BOUNCE -> UnencryptableAction.BOUNCE;
            case HOLD -> UnencryptableAction.HOLD;
        };
        return new DomainPolicy(encryption, domain.sign(), cms, unencryptable);
    }
}
