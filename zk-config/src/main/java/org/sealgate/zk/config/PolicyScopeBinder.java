package org.sealgate.zk.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.sealgate.policy.Setting;
import org.sealgate.zk.config.YamlTree.ListNode;
import org.sealgate.zk.config.YamlTree.MapNode;
import org.sealgate.zk.config.YamlTree.Node;
import org.sealgate.zk.config.YamlTree.Position;
import org.sealgate.zk.config.YamlTree.ScalarNode;

import com.fasterxml.jackson.core.JsonToken;

/**
 * Binds one entry of {@code domains} to a {@link DomainConfig}: {@code name} plus any of the policy engine's
 * settings, each value read by the setting's own parser (the one {@code policy.properties} uses), so the document and
 * the file cannot drift apart. A list ({@code methods: [smime, pgp]}) is the file's comma-separated value.
 */
final class PolicyScopeBinder {
    private PolicyScopeBinder() {
    }

    static DomainConfig bind(MapNode map, String path, List<ConfigError> errors) {
        int errorsBefore = errors.size();
        String name = null;
        YamlTree.Entry nameEntry = map.entries().get("name");
        if (nameEntry == null) {
            error(errors, path + ".name", map.position(), "missing required field 'name'");
        } else if (nameEntry.value() instanceof ScalarNode scalar && scalar.token() == JsonToken.VALUE_STRING) {
            name = scalar.text();
        } else {
            error(errors, path + ".name", nameEntry.keyPosition(), "expected a string");
        }
        Map<Setting, Object> settings = new EnumMap<>(Setting.class);
        for (Map.Entry<String, YamlTree.Entry> entry : map.entries().entrySet()) {
            String key = entry.getKey();
            if (key.equals("name")) {
                continue;
            }
            String settingPath = path + "." + key;
            Optional<Setting> setting = Setting.named(key);
            if (setting.isEmpty()) {
                error(errors, settingPath, entry.getValue().keyPosition(),
                    "unknown field '" + key + "' (known here: name, " + Setting.knownNames() + ")");
                continue;
            }
            if (settings.containsKey(setting.get())) {
                error(errors, settingPath, entry.getValue().keyPosition(), "'" + key + "' sets '"
                    + setting.get().key() + "' a second time");
                continue;
            }
            Node value = entry.getValue().value();
            Optional<String> text = asText(value);
            if (text.isEmpty()) {
                error(errors, settingPath, value.position(), "expected a value or a list of values");
                continue;
            }
            try {
                settings.put(setting.get(), setting.get().parse(key, text.get()));
            } catch (IllegalArgumentException e) {
                error(errors, settingPath, value.position(), e.getMessage());
            }
        }
        return errors.size() > errorsBefore ? null : new DomainConfig(name, settings);
    }

    /** The value as the policy file writes it: a scalar's text, or a list's items joined by commas. */
    private static Optional<String> asText(Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.isNull() ? Optional.empty() : Optional.of(scalar.text());
        }
        if (node instanceof ListNode list) {
            List<String> items = new ArrayList<>();
            for (Node item : list.items()) {
                if (!(item instanceof ScalarNode scalar) || scalar.isNull()) {
                    return Optional.empty();
                }
                items.add(scalar.text());
            }
            return Optional.of(items.isEmpty() ? "none" : String.join(", ", items));
        }
        return Optional.empty();
    }

    private static void error(List<ConfigError> errors, String path, Position at, String message) {
        errors.add(new ConfigError(path, at.line(), at.column(), message));
    }
}
