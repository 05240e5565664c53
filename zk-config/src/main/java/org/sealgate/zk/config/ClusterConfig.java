package org.sealgate.zk.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole cluster configuration, as one validated, immutable value. Field names map to kebab-case keys in the
 * YAML document ({@code trustedNetworks} is {@code trusted-networks}); see {@link ConfigDocument} for parsing.
 *
 * @param schemaVersion   format of the document; only {@value #SCHEMA_VERSION} exists so far
 * @param domains         managed and partner domains with their policies
 * @param trustedNetworks clients (CIDR) that may relay through the gateway
 * @param nextHop         next hop ({@code host:port}) for all mail leaving a node; wins over the node's {@code delivery.relay}
 * @param gina            where the GINA portal is reached
 * @param vip             the VRRP virtual address the nodes share
 * @param nodes           the cluster members
 * @param notifications   where the cluster mails its administrators (expiry warnings); none when absent
 */
public record ClusterConfig(int schemaVersion,
                            @Required List<DomainConfig> domains,
                            List<String> trustedNetworks,
                            Optional<String> nextHop,
                            GinaSettings gina,
                            VipSettings vip,
                            @Required List<NodeEntry> nodes,
                            Optional<NotificationSettings> notifications) {

    public static final int SCHEMA_VERSION = 1;

    public ClusterConfig {
        domains = List.copyOf(domains);
        trustedNetworks = List.copyOf(trustedNetworks);
        nodes = List.copyOf(nodes);
    }

    /** The policy of a domain, matched case-insensitively. */
    public Optional<DomainConfig> domain(String name) {
        return domains.stream().filter(d -> d.name().equalsIgnoreCase(name)).findFirst();
    }
}
