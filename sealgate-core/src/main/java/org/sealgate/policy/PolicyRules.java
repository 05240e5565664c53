package org.sealgate.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.sealgate.keys.Addresses;

/**
 * A validated, immutable policy document: settings per scope, resolved per setting from the most specific scope.
 *
 * <pre>
 * default.encrypt = opportunistic              # every address
 * domain.*.example.org.encrypt = required      # any subdomain of example.org (not example.org itself)
 * domain.eu.example.org.methods = pgp, smime   # an exact domain beats every wildcard
 * user.ceo@corp.example.allow-plain = true     # one address beats its domain
 * </pre>
 *
 * Lines are {@code key = value}, {@code #} starts a comment; keys and enumerated values are case-insensitive. The
 * setting is the key's last dot-separated part. {@link #parse} refuses a document naming the first bad line.
 */
public final class PolicyRules implements PolicyProvider {
    public static final PolicyRules EMPTY = new PolicyRules(Map.of(), Map.of(), List.of(), Map.of());

    private static final String LABEL = "[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?";
    private static final Pattern DOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final Pattern LOCAL_PART = Pattern.compile("[^@\\s]+");

    private final Map<Setting, Object> defaults;
    private final Map<String, Map<Setting, Object>> domains;
    /** Wildcard scopes, most specific (longest suffix) first. */
    private final List<Wildcard> wildcards;
    private final Map<String, Map<Setting, Object>> users;
    /**
     * Resolved settings by normalised address: the document is immutable, and every outbound mail asks for each
     * recipient's settings several times (engine, certificate selection, revocation, discovery). Bounded: emptied
     * when full, so a flood of distinct addresses costs a re-resolve, never memory.
     */
    private final Map<String, PolicySettings> resolved = new ConcurrentHashMap<>();
    static final int RESOLVED_LIMIT = 4096;

    private record Wildcard(String suffix, Map<Setting, Object> values) {
        boolean matches(String domain) {
            return domain.endsWith("." + suffix);
        }

        int labels() {
            return suffix.split("\\.").length;
        }
    }

    private PolicyRules(Map<Setting, Object> defaults, Map<String, Map<Setting, Object>> domains,
                        List<Wildcard> wildcards, Map<String, Map<Setting, Object>> users) {
        this.defaults = defaults;
        this.domains = domains;
        this.wildcards = wildcards.stream().sorted(Comparator.comparingInt(Wildcard::labels).reversed()).toList();
        this.users = users;
    }

    /** Parses a document; the exception names the line and what is wrong with it. */
    public static PolicyRules parse(List<String> lines) throws PolicyFile.PolicyException {
        Builder builder = builder();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = stripComment(lines.get(i)).trim();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new PolicyFile.PolicyException(number, "expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).trim();
            int lastDot = key.lastIndexOf('.');
            String written = key.substring(lastDot + 1);
            String scope;
            if (key.startsWith("default.") && lastDot == "default".length()) {
                scope = DEFAULT_SCOPE;
            } else if (key.startsWith("domain.") && lastDot > "domain.".length()) {
                scope = key.substring("domain.".length(), lastDot);
                if (scope.equals(DEFAULT_SCOPE) || scope.contains("@")) {
                    throw new PolicyFile.PolicyException(number, "'" + scope + "' is not a domain name or '*.' followed by one");
                }
            } else if (key.startsWith("user.") && lastDot > "user.".length()) {
                scope = key.substring("user.".length(), lastDot);
                if (!scope.contains("@")) {
                    throw new PolicyFile.PolicyException(number, "'" + scope + "' is not an e-mail address");
                }
            } else {
                throw new PolicyFile.PolicyException(number, "key must start with 'default.' or 'domain.<domain>.' or"
                    + " 'user.<address>.' and end with a setting, got '" + key + "'");
            }
            Setting setting = Setting.named(written).orElseThrow(() -> new PolicyFile.PolicyException(number,
                "unknown setting '" + written + "' (known: " + Setting.knownNames() + ")"));
            try {
                builder.set(scope, setting, setting.parse(written, value));
            } catch (IllegalArgumentException e) {
                throw new PolicyFile.PolicyException(number, e.getMessage());
            }
        }
        return builder.build();
    }

    /** The scope name of the defaults in {@link Builder#set}: {@code "*"}, as the cluster document writes it. */
    public static final String DEFAULT_SCOPE = "*";

    public static Builder builder() {
        return new Builder();
    }

    /** Why a scope name cannot be used, or empty when it can: {@code *}, a domain, {@code *.domain} or an address. */
    public static Optional<String> scopeProblem(String scope) {
        String name = scope.toLowerCase(Locale.ROOT);
        if (name.equals(DEFAULT_SCOPE)) {
            return Optional.empty();
        }
        int at = name.lastIndexOf('@');
        if (at >= 0) {
            return at > 0 && LOCAL_PART.matcher(name.substring(0, at)).matches()
                && DOMAIN.matcher(name.substring(at + 1)).matches()
                ? Optional.empty() : Optional.of("'" + scope + "' is not an e-mail address");
        }
        String domain = name.startsWith("*.") ? name.substring(2) : name;
        return DOMAIN.matcher(domain).matches() ? Optional.empty() : Optional.of("'" + scope
            + "' is not a domain name or '*.' followed by one (a wildcard is only allowed as the whole first label)");
    }

    /**
     * Typed settings per scope, as the policy file and the cluster document both give them: scope {@code *} (the
     * defaults), a domain, {@code *.suffix} (its subdomains) or an address; values of the setting's own type
     * (what {@link Setting#parse} returns).
     */
    public static final class Builder {
        private final Map<Setting, Object> defaults = new EnumMap<>(Setting.class);
        private final Map<String, Map<Setting, Object>> domains = new HashMap<>();
        private final Map<String, Map<Setting, Object>> wildcards = new HashMap<>();
        private final Map<String, Map<Setting, Object>> users = new HashMap<>();

        private Builder() {
        }

        /** Sets one setting of one scope; the exception says what is wrong with the scope or the value. */
        public Builder set(String scope, Setting setting, Object value) {
            scopeProblem(scope).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            if (!setting.builtIn().getClass().isInstance(value)
                && !(setting.builtIn() instanceof List && value instanceof List)
                && !(setting.builtIn() instanceof Optional && value instanceof Optional)) {
                throw new IllegalArgumentException("'" + setting.key() + "' cannot be " + value);
            }
            String name = scope.toLowerCase(Locale.ROOT);
            Map<Setting, Object> values;
            if (name.equals(DEFAULT_SCOPE)) {
                values = defaults;
            } else if (name.contains("@")) {
                values = users.computeIfAbsent(Addresses.normalise(name), a -> new EnumMap<>(Setting.class));
            } else if (name.startsWith("*.")) {
                values = wildcards.computeIfAbsent(name.substring(2), d -> new EnumMap<>(Setting.class));
            } else {
                values = domains.computeIfAbsent(name, d -> new EnumMap<>(Setting.class));
            }
            values.put(setting, value);
            return this;
        }

        public PolicyRules build() {
            List<Wildcard> wildcardList = new ArrayList<>();
            wildcards.forEach((suffix, values) -> wildcardList.add(new Wildcard(suffix, Map.copyOf(values))));
            return new PolicyRules(Map.copyOf(defaults), copy(domains), wildcardList, copy(users));
        }
    }

    private static Map<String, Map<Setting, Object>> copy(Map<String, Map<Setting, Object>> scopes) {
        Map<String, Map<Setting, Object>> copy = new HashMap<>();
        scopes.forEach((name, values) -> copy.put(name, Map.copyOf(values)));
        return Map.copyOf(copy);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    @Override
    public PolicySettings settingsFor(String address) {
        String normalised = Addresses.normalise(address);
        PolicySettings settings = resolved.get(normalised);
        if (settings == null) {
            settings = resolveAddress(normalised);
            if (resolved.size() >= RESOLVED_LIMIT) {
                resolved.clear();
            }
            resolved.put(normalised, settings);
        }
        return settings;
    }

    private PolicySettings resolveAddress(String normalised) {
        return resolve(normalised.contains("@") ? normalised : null, Addresses.domainOf(normalised.contains("@") ? normalised : "@" + normalised));
    }

    @Override
    public PolicySettings settingsForDomain(String domain) {
        return resolve(null, domain.trim().toLowerCase(Locale.ROOT));
    }

    private PolicySettings resolve(String address, String domain) {
        Map<Setting, Object> values = new EnumMap<>(Setting.class);
        Map<Setting, String> sources = new EnumMap<>(Setting.class);
        // Least specific first; each more specific scope overwrites what it sets.
        take(values, sources, defaults, "default");
        for (int i = wildcards.size() - 1; i >= 0; i--) {
            Wildcard wildcard = wildcards.get(i);
            if (wildcard.matches(domain)) {
                take(values, sources, wildcard.values(), "domain *." + wildcard.suffix());
            }
        }
        take(values, sources, domains.getOrDefault(domain, Map.of()), "domain " + domain);
        if (address != null) {
            take(values, sources, users.getOrDefault(address, Map.of()), "user " + address);
        }
        return new PolicySettings(values, sources);
    }

    private static void take(Map<Setting, Object> values, Map<Setting, String> sources, Map<Setting, Object> scope,
                             String source) {
        scope.forEach((setting, value) -> {
            values.put(setting, value);
            sources.put(setting, source);
        });
    }
}
