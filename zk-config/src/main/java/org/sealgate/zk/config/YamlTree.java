package org.sealgate.zk.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/**
 * A YAML document read into a small tree that keeps the line and column of every key and value. Jackson's own
 * {@code JsonNode} forgets positions, and every error we report must name its line.
 */
final class YamlTree {

    record Position(int line, int column) {
        static Position of(JsonLocation location) {
            return new Position(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
        }
    }

    sealed interface Node permits MapNode, ListNode, ScalarNode {
        Position position();
    }

    record Entry(Position keyPosition, Node value) {
    }

    record MapNode(Position position, Map<String, Entry> entries) implements Node {
    }

    record ListNode(Position position, List<Node> items) implements Node {
    }

    /** A scalar with the token Jackson gave it: {@code VALUE_STRING}, {@code VALUE_NUMBER_INT}, ... */
    record ScalarNode(Position position, JsonToken token, String text) implements Node {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }
    }

    // "off" and "yes" stay strings: YAML 1.1 would read them as booleans, and "off" is an encryption mode.
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
        .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
        .build();

    private YamlTree() {
    }

    /** Reads the document; syntax errors (a truncated or garbled upload) and duplicate keys land in errors. */
    static Node read(byte[] document, List<ConfigError> errors) {
        try (JsonParser parser = FACTORY.createParser(document)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                errors.add(new ConfigError("", 1, 1, "the document is empty"));
                return null;
            }
            Node root = readValue(parser, "", errors);
            if (parser.nextToken() != null) {
                Position at = Position.of(parser.currentTokenLocation());
                errors.add(new ConfigError("", at.line(), at.column(),
                    "more than one YAML document ('---'); the configuration is exactly one"));
            }
            return root;
        } catch (JsonProcessingException e) {
            Position at = e.getLocation() == null ? new Position(1, 1) : Position.of(e.getLocation());
            errors.add(new ConfigError("", at.line(), at.column(),
                "not valid YAML, the document may be truncated or garbled: " + oneLine(e.getOriginalMessage())));
            return null;
        } catch (IOException e) {
            errors.add(new ConfigError("", 1, 1, "cannot read the document: " + e.getMessage()));
            return null;
        }
    }

    private static Node readValue(JsonParser parser, String path, List<ConfigError> errors) throws IOException {
        Position at = Position.of(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                Position keyAt = Position.of(parser.currentTokenLocation());
                parser.nextToken();
                String childPath = path.isEmpty() ? key : path + "." + key;
                Node value = readValue(parser, childPath, errors);
                if (entries.putIfAbsent(key, new Entry(keyAt, value)) != null) {
                    errors.add(new ConfigError(childPath, keyAt.line(), keyAt.column(),
                        "duplicate key '" + key + "' (first at line " + entries.get(key).keyPosition().line() + ")"));
                }
            }
            return new MapNode(at, Collections.unmodifiableMap(entries));
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(readValue(parser, path + "[" + items.size() + "]", errors));
            }
            return new ListNode(at, List.copyOf(items));
        }
        return new ScalarNode(at, token, token == JsonToken.VALUE_NULL ? null : parser.getText());
    }

    private static String oneLine(String message) {
        return message == null ? "syntax error" : message.replaceAll("\\s+", " ").trim();
    }
}
