package org.sealgate.vip;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one node says about the VIP in {@code /vip/<node>} (JSON, an ephemeral znode of its {@code vip watch}
 * session, so the claim of a node that stopped or lost ZooKeeper disappears with its session).
 *
 * @param state   keepalived's VRRP state as its notify script last reported it (MASTER, BACKUP, FAULT, STOP),
 *                STOPPED when keepalived is not running, UNKNOWN before the first report
 * @param since   when that state began (ISO-8601 UTC, from the notify script), null when unknown
 * @param address the VIP the node's rendered configuration holds
 * @param version the configuration version last rendered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VipClaim(@JsonProperty("node") String node,
                       @JsonProperty("state") String state,
                       @JsonProperty("since") String since,
                       @JsonProperty("address") String address,
                       @JsonProperty("config-version") int version) {

    public static final String MASTER = "MASTER";
    public static final String STOPPED = "STOPPED";
    public static final String UNKNOWN = "UNKNOWN";

    public boolean holdsVip() {
        return MASTER.equals(state);
    }
}
