package org.sealgate.zk.config;

import java.util.List;

/** A cluster member: its id, the addresses it serves on, its VRRP role and priority (higher wins the VIP). */
public record NodeEntry(String id, @Required List<String> addresses, NodeRole role, int priority) {

    public NodeEntry {
        addresses = List.copyOf(addresses);
    }
}
