package org.sealgate.zk.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonToken;

import org.sealgate.zk.config.YamlTree.ListNode;
import org.sealgate.zk.config.YamlTree.MapNode;
import org.sealgate.zk.config.YamlTree.Node;
import org.sealgate.zk.config.YamlTree.Position;
import org.sealgate.zk.config.YamlTree.ScalarNode;

/**
 * Schema check and binding in one walk: the records of this package are the schema. A key is the kebab-case
 * component name (or {@link YamlName}); {@code Optional} components, lists without {@link Required} and
 * components with a {@link DefaultValue} may be absent; everything else is required. Unlike Jackson databind,
 * which stops at the first problem, this collects every unknown field, wrong type and missing field.
 */
final class RecordBinder {
    private final List<ConfigError> errors;

    RecordBinder(List<ConfigError> errors) {
        this.errors = errors;
    }

    /** The bound record, or null when anything was wrong (the reasons are in the error list). */
    <T extends Record> T bind(Class<T> type, Node root) {
        return type.cast(value(type, root, ""));
    }

    static String keyOf(RecordComponent component) {
        YamlName name = component.getAnnotation(YamlName.class);
        return name != null ? name.value() : component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    static String wireName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private Object value(Type type, Node node, String path) {
        Class<?> raw = rawClass(type);
        if (raw == DomainConfig.class) {
            return node instanceof MapNode map ? PolicyScopeBinder.bind(map, path, errors) : wrongType(path, node, "a mapping");
        }
        if (raw.isRecord()) {
            return node instanceof MapNode map ? record(raw, map, path) : wrongType(path, node, "a mapping");
        }
        if (raw == List.class) {
            if (!(node instanceof ListNode list)) {
                return wrongType(path, node, "a list");
            }
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> values = new ArrayList<>();
            boolean complete = true;
            for (int i = 0; i < list.items().size(); i++) {
                Object item = value(element, list.items().get(i), path + "[" + i + "]");
                complete &= item != null;
                values.add(item);
            }
            return complete ? List.copyOf(values) : null;
        }
        if (!(node instanceof ScalarNode scalar)) {
            return wrongType(path, node, expected(raw));
        }
        return scalar(raw, scalar, path);
    }

    private Object record(Class<?> type, MapNode map, String path) {
        int errorsBefore = errors.size();
        RecordComponent[] components = type.getRecordComponents();
        List<String> known = Arrays.stream(components).map(RecordBinder::keyOf).toList();
        map.entries().forEach((key, entry) -> {
            if (!known.contains(key)) {
                Position at = entry.keyPosition();
                errors.add(new ConfigError(join(path, key), at.line(), at.column(),
                    "unknown field '" + key + "' (known here: " + String.join(", ", known) + ")"));
            }
        });
        Object[] arguments = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            arguments[i] = component(components[i], map, path);
        }
        if (errors.size() > errorsBefore) {
            return null;
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            errors.add(new ConfigError(path, map.position().line(), map.position().column(), e.getCause().getMessage()));
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("schema record " + type.getName() + " cannot be built", e);
        }
    }

    private Object component(RecordComponent component, MapNode map, String path) {
        String key = keyOf(component);
        String childPath = join(path, key);
        YamlTree.Entry entry = map.entries().get(key);
        boolean absent = entry == null || entry.value() instanceof ScalarNode s && s.isNull();
        Class<?> raw = component.getType();
        Type type = component.getGenericType();
        if (raw == Optional.class) {
            Type inner = ((ParameterizedType) type).getActualTypeArguments()[0];
            return absent ? Optional.empty() : Optional.ofNullable(value(inner, entry.value(), childPath));
        }
        if (!absent) {
            return value(type, entry.value(), childPath);
        }
        DefaultValue fallback = component.getAnnotation(DefaultValue.class);
        if (fallback != null) {
            return scalar(raw, new ScalarNode(map.position(), defaultToken(raw, fallback.value()), fallback.value()), childPath);
        }
        if (raw == List.class && component.getAnnotation(Required.class) == null) {
            return List.of();
        }
        Position at = entry != null ? entry.keyPosition() : map.position();
        errors.add(new ConfigError(childPath, at.line(), at.column(), "missing required field '" + key + "'"));
        return null;
    }

    private Object scalar(Class<?> raw, ScalarNode scalar, String path) {
        JsonToken token = scalar.token();
        if (raw == String.class) {
            return token == JsonToken.VALUE_STRING ? scalar.text() : wrongType(path, scalar, "a string");
        }
        if (raw == int.class) {
            if (token != JsonToken.VALUE_NUMBER_INT) {
                return wrongType(path, scalar, "an integer");
            }
            try {
                return Integer.parseInt(scalar.text());
            } catch (NumberFormatException e) {
                return fail(path, scalar, "integer out of range: " + scalar.text());
            }
        }
        if (raw == boolean.class) {
            return token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE
                ? token == JsonToken.VALUE_TRUE : wrongType(path, scalar, "true or false");
        }
        if (raw == double.class) {
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                return wrongType(path, scalar, "a number");
            }
            double number = Double.parseDouble(scalar.text());
            return Double.isFinite(number) ? number : fail(path, scalar, "number out of range: " + scalar.text());
        }
        if (raw.isEnum()) {
            List<String> allowed = Arrays.stream(raw.getEnumConstants()).map(c -> wireName((Enum<?>) c)).toList();
            if (token == JsonToken.VALUE_STRING && allowed.contains(scalar.text())) {
                return raw.getEnumConstants()[allowed.indexOf(scalar.text())];
            }
            return fail(path, scalar, "must be one of " + String.join(" | ", allowed) + ", got " + describe(scalar));
        }
        throw new IllegalStateException("no binding for " + raw.getName() + " at " + path);
    }

    private Object wrongType(String path, Node node, String expected) {
        return fail(path, node, "expected " + expected + ", got " + describe(node));
    }

    private Object fail(String path, Node node, String message) {
        errors.add(new ConfigError(path, node.position().line(), node.position().column(), message));
        return null;
    }

    private static String describe(Node node) {
        if (node instanceof MapNode) {
            return "a mapping";
        }
        if (node instanceof ListNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        return switch (scalar.token()) {
            case VALUE_NULL -> "nothing";
            case VALUE_STRING -> "the string '" + scalar.text() + "'";
            case VALUE_TRUE, VALUE_FALSE -> "the boolean " + scalar.text();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + scalar.text();
            default -> "'" + scalar.text() + "'";
        };
    }

    private static String expected(Class<?> raw) {
        if (raw == int.class) {
            return "an integer";
        }
        if (raw == boolean.class) {
            return "true or false";
        }
        if (raw == double.class) {
            return "a number";
        }
        if (raw.isEnum()) {
            return Arrays.stream(raw.getEnumConstants()).map(c -> wireName((Enum<?>) c)).collect(Collectors.joining(" | "));
        }
        return "a string";
    }

    private static JsonToken defaultToken(Class<?> raw, String text) {
        if (raw == int.class) {
            return JsonToken.VALUE_NUMBER_INT;
        }
        if (raw == double.class) {
            return JsonToken.VALUE_NUMBER_FLOAT;
        }
        if (raw == boolean.class) {
            return Boolean.parseBoolean(text) ? JsonToken.VALUE_TRUE : JsonToken.VALUE_FALSE;
        }
        return JsonToken.VALUE_STRING;
    }

    private static Class<?> rawClass(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
