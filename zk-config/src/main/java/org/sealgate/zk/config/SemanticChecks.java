package org.sealgate.zk.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.sealgate.zk.config.YamlTree.ListNode;
import org.sealgate.zk.config.YamlTree.MapNode;
import org.sealgate.zk.config.YamlTree.Node;
import org.sealgate.zk.config.YamlTree.Position;

/**
 * Rules that span fields or need more than a type: names and addresses parse, ids and VRRP priorities are
 * unique, exactly one primary and it holds the highest priority (otherwise keepalived would move the VIP to a
 * secondary as soon as both run). Each error points at the line of the offending value.
 */
final class SemanticChecks {
    private static final String NODE_ID = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
    private static final String INTERFACE = "[A-Za-z0-9_.:-]{1,15}";

    private final Map<String, Position> positions = new HashMap<>();
    private final List<ConfigError> errors;

    SemanticChecks(Node root, List<ConfigError> errors) {
        this.errors = errors;
        index(root, "");
    }

    void check(ClusterConfig config) {
        if (config.schemaVersion() != ClusterConfig.SCHEMA_VERSION) {
            error("schema-version", "unsupported schema-version " + config.schemaVersion()
                + " (this build reads " + ClusterConfig.SCHEMA_VERSION + ")");
        }
        checkDomains(config.domains());
        for (int i = 0; i < config.trustedNetworks().size(); i++) {
            String network = config.trustedNetworks().get(i);
            if (!NetworkAddresses.isCidr(network)) {
                error("trusted-networks[" + i + "]", "'" + network + "' is not a network in CIDR notation (e.g. 10.0.0.0/8)");
            }
        }
        config.nextHop().map(NetworkAddresses::hostPortProblem).ifPresent(problem -> error("next-hop", problem));
        if (!NetworkAddresses.isHostName(config.gina().hostName())) {
            error("gina.host-name", "'" + config.gina().hostName() + "' is not a valid host name");
        }
        checkPort("gina.port", config.gina().port());
        checkGina(config.gina());
        checkVip(config.vip());
        checkNodes(config.nodes());
        config.notifications().ifPresent(this::checkNotifications);
    }

    private void checkNotifications(NotificationSettings notifications) {
        String address = notifications.adminAddress();
        if (address == null || !address.contains("@") || address.startsWith("*")
            || org.sealgate.policy.PolicyRules.scopeProblem(address).isPresent()) {
            error("notifications.admin-address", "'" + address + "' is not an e-mail address");
        }
        range("notifications.expiry-warning-days", notifications.expiryWarningDays(), 1, 365);
    }

    /** A domain, {@code *.suffix} for its subdomains, {@code *} for every domain not listed otherwise, or an address. */
    static boolean isPolicyScope(String name) {
        if (name.contains("@")) {
            return org.sealgate.policy.PolicyRules.scopeProblem(name).isEmpty();
        }
        return name.equals("*") || NetworkAddresses.isDomainName(name.startsWith("*.") ? name.substring(2) : name);
    }

    private void checkDomains(List<DomainConfig> domains) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < domains.size(); i++) {
            String name = domains.get(i).name();
            String path = "domains[" + i + "].name";
            if (!isPolicyScope(name)) {
                error(path, "'" + name + "' is not a domain name, a wildcard like *.example.org, * (every other domain)"
                    + " or an address");
            }
            Integer first = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
            if (first != null) {
                error(path, "domain '" + name + "' is listed twice (first as domains[" + first + "])");
            }
        }
    }

    private void checkGina(GinaSettings gina) {
        range("gina.session-minutes", gina.sessionMinutes(), 1, 24 * 60);
        range("gina.session-max-hours", gina.sessionMaxHours(), 1, 7 * 24);
        if (gina.sessionMinutes() >= 1 && gina.sessionMaxHours() >= 1
            && gina.sessionMinutes() > gina.sessionMaxHours() * 60) {
            error("gina.session-minutes", "a session's idle lifetime (" + gina.sessionMinutes() + " minutes) is longer"
                + " than its absolute lifetime (session-max-hours: " + gina.sessionMaxHours() + ")");
        }
        range("gina.first-password-days", gina.firstPasswordDays(), 1, 365);
        range("gina.replies-per-hour", gina.repliesPerHour(), 1, 10_000);
    }

    private void range(String path, int value, int min, int max) {
        if (value < min || value > max) {
            error(path, "must be between " + min + " and " + max + ", got " + value);
        }
    }

    private void checkVip(VipSettings vip) {
        if (!NetworkAddresses.isIpLiteral(vip.address())) {
            error("vip.address", "'" + vip.address() + "' is not an IPv4 or IPv6 address");
        }
        if (!vip.networkInterface().matches(INTERFACE)) {
            error("vip.interface", "'" + vip.networkInterface() + "' is not a network interface name");
        }
        if (vip.virtualRouterId() < 1 || vip.virtualRouterId() > 255) {
            error("vip.virtual-router-id", "must be between 1 and 255, got " + vip.virtualRouterId());
        }
        double interval = vip.advertInterval();
        if (!vip.needsVrrpVersion3() ? interval < 1 || interval > 255
            : interval < 0.01 || interval > 40.95 || Math.abs(interval * 100 - Math.rint(interval * 100)) > 1e-6) {
            error("vip.advert-interval", "must be whole seconds from 1 to 255, or 0.01 to 40.95 in steps of 0.01"
                + " (VRRP version 3), got " + interval);
        } else if (vip.needsVrrpVersion3() && vip.authentication() == VipAuthentication.PASS) {
            error("vip.authentication", "VRRP version 3 (needed for the fractional advert-interval " + interval
                + ") has no authentication; use authentication: none or whole seconds");
        }
    }

    private void checkNodes(List<NodeEntry> nodes) {
        if (nodes.isEmpty()) {
            error("nodes", "at least one node is required");
            return;
        }
        Map<String, Integer> ids = new HashMap<>();
        Map<Integer, Integer> priorities = new HashMap<>();
        Optional<Integer> primary = Optional.empty();
        boolean severalPrimaries = false;
        for (int i = 0; i < nodes.size(); i++) {
            NodeEntry node = nodes.get(i);
            String path = "nodes[" + i + "]";
            if (!node.id().matches(NODE_ID)) {
                error(path + ".id", "'" + node.id() + "' is not a node id (lower-case letters, digits, '-')");
            }
            Integer sameId = ids.putIfAbsent(node.id(), i);
            if (sameId != null) {
                error(path + ".id", "node id '" + node.id() + "' is used twice (first by nodes[" + sameId + "])");
            }
            if (node.addresses().isEmpty()) {
                error(path + ".addresses", "at least one address is required");
            }
            for (int a = 0; a < node.addresses().size(); a++) {
                if (!NetworkAddresses.isIpLiteral(node.addresses().get(a))) {
                    error(path + ".addresses[" + a + "]", "'" + node.addresses().get(a) + "' is not an IPv4 or IPv6 address");
                }
            }
            if (node.priority() < 1 || node.priority() > 254) {
                error(path + ".priority", "VRRP priority must be between 1 and 254, got " + node.priority());
            }
            Integer samePriority = priorities.putIfAbsent(node.priority(), i);
            if (samePriority != null) {
                error(path + ".priority", "priority " + node.priority() + " is also used by nodes[" + samePriority
                    + "] ('" + nodes.get(samePriority).id() + "'); VRRP priorities must be unique");
            }
            if (node.role() == NodeRole.PRIMARY) {
                if (primary.isPresent()) {
                    severalPrimaries = true;
                    error(path + ".role", "a second primary; nodes[" + primary.get() + "] ('"
                        + nodes.get(primary.get()).id() + "') is already primary, exactly one is allowed");
                } else {
                    primary = Optional.of(i);
                }
            }
        }
        if (primary.isEmpty()) {
            error("nodes", "no node has role primary; exactly one is required");
            return;
        }
        if (severalPrimaries) {
            return; // which one should have the highest priority is moot until there is one
        }
        NodeEntry chosen = nodes.get(primary.get());
        for (NodeEntry other : nodes) {
            if (other != chosen && other.priority() >= chosen.priority()) {
                error("nodes[" + primary.get() + "].priority", "the primary '" + chosen.id() + "' has priority "
                    + chosen.priority() + " but '" + other.id() + "' has " + other.priority()
                    + "; the primary must have the highest priority");
                break;
            }
        }
    }

    private void checkPort(String path, int port) {
        if (port < 1 || port > 65535) {
            error(path, "port must be between 1 and 65535, got " + port);
        }
    }

    private void error(String path, String message) {
        Position at = positionOf(path);
        errors.add(new ConfigError(path, at.line(), at.column(), message));
    }

    /** The position of a path, or of its nearest ancestor when the value came from a default. */
    private Position positionOf(String path) {
        String probe = path;
        while (!positions.containsKey(probe) && !probe.isEmpty()) {
            int cut = Math.max(probe.lastIndexOf('.'), probe.lastIndexOf('['));
            probe = cut < 0 ? "" : probe.substring(0, cut);
        }
        return positions.getOrDefault(probe, new Position(1, 1));
    }

    private void index(Node node, String path) {
        positions.put(path, node.position());
        if (node instanceof MapNode map) {
            map.entries().forEach((key, entry) -> index(entry.value(), path.isEmpty() ? key : path + "." + key));
        } else if (node instanceof ListNode list) {
            for (int i = 0; i < list.items().size(); i++) {
                index(list.items().get(i), path + "[" + i + "]");
            }
        }
    }
}
