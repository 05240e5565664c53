package org.sealgate.routes.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which sources are asked, in which order, per recipient domain: the {@code key-discovery} setting, e.g.
 * {@code wkd, ldap} by default and {@code ldap} for {@code partner.example}. An empty list switches discovery off
 * for the domain. A domain setting also covers its subdomains unless they have their own. In a node the order
 * comes from the policy ({@link #fromPolicy}); the fixed map is for tools and tests.
 */
public final class DiscoveryOrder {
    private final List<String> fallback;
    private final Map<String, List<String>> byDomain = new TreeMap<>();
    private final Function<String, List<String>> resolver;

    public DiscoveryOrder(List<String> fallback, Map<String, List<String>> byDomain) {
        this.fallback = List.copyOf(fallback);
        byDomain.forEach((domain, order) -> this.byDomain.put(domain.toLowerCase(Locale.ROOT), List.copyOf(order)));
        this.resolver = null;
    }

    private DiscoveryOrder(Function<String, List<String>> resolver) {
        this.fallback = List.of();
        this.resolver = resolver;
    }

    /**
     * The order as the policy resolves it for a domain (the {@code key-discovery} setting, with the policy's own
     * inheritance: default, wildcard domains, exact domain), read anew for each look-up so a new policy applies.
     */
    public static DiscoveryOrder fromPolicy(Function<String, List<String>> keyDiscoveryForDomain) {
        return new DiscoveryOrder(keyDiscoveryForDomain);
    }

    /** Parses {@code "wkd, ldap"} (comma or space separated; {@code off} or empty for none). */
    public static List<String> parse(String setting) {
        List<String> names = new ArrayList<>();
        if (setting == null) {
            return names;
        }
        for (String part : setting.trim().split("[,\\s]+")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.equals("off")) {
                continue;
            }
            if (!name.matches("[a-z][a-z0-9-]{0,31}")) {
                throw new IllegalArgumentException("not a key-discovery source name: " + part);
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    public List<String> forDomain(String domain) {
        String candidate = domain.toLowerCase(Locale.ROOT);
        if (resolver != null) {
            return List.copyOf(resolver.apply(candidate));
        }
        while (true) {
            List<String> order = byDomain.get(candidate);
            if (order != null) {
                return order;
            }
            int dot = candidate.indexOf('.');
            if (dot < 0) {
                return fallback;
            }
            candidate = candidate.substring(dot + 1);
        }
    }
}
