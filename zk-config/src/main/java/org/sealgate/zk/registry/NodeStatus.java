package org.sealgate.zk.registry;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a node publishes about itself in {@code /nodes/<id>} (JSON). Times are ISO-8601 UTC.
 *
 * @param configVersion   the configuration version in force, 0 when none
 * @param configStaleSince set while the node cannot confirm it is current with ZooKeeper
 * @param health          one line: configuration and keys, e.g. {@code config version 4 up to date; keys from ZooKeeper: ...}
 * @param admin           where the node's admin endpoint listens, {@code HOST:PORT} (held mail, metrics); null
 *                        until it listens
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeStatus(@JsonProperty("id") String id,
                         @JsonProperty("addresses") List<String> addresses,
                         @JsonProperty("role") String role,
                         @JsonProperty("config-version") int configVersion,
                         @JsonProperty("config-stale-since") String configStaleSince,
                         @JsonProperty("health") String health,
                         @JsonProperty("started") String started,
                         @JsonProperty("admin") String admin) {

    @JsonCreator
    public NodeStatus {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /** Without an admin address (a node whose endpoint does not listen yet). */
    public NodeStatus(String id, List<String> addresses, String role, int configVersion, String configStaleSince,
                      String health, String started) {
        this(id, addresses, role, configVersion, configStaleSince, health, started, null);
    }
}
