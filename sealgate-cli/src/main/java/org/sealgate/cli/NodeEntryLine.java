package org.sealgate.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import org.sealgate.zk.config.NodeEntry;
import org.sealgate.zk.config.NodeRole;

/**
 * One node's entry in the cluster document's {@code nodes:} list, as {@code cluster join} writes it: a one-line
 * flow mapping, replaced or appended in the document's text so the administrator's comments and layout elsewhere
 * stay as they were. A {@code nodes:} block in another shape is rewritten through a YAML tree (valid, comments
 * lost), which the history keeps as an ordinary version.
 */
final class NodeEntryLine {
    static final int PRIMARY_PRIORITY = 150;
    static final int SECONDARY_PRIORITY = 100;
    private static final Pattern NODES_KEY = Pattern.compile("^nodes:\\s*(#.*)?$");
    private static final Pattern FLOW_ENTRY = Pattern.compile("^(\\s*)-\\s*\\{(.*)\\}\\s*(#.*)?$");
    private static final Pattern ID = Pattern.compile("(?:^|[{,\\s])id:\\s*\"?([^,\"}\\s]+)");

    private NodeEntryLine() {
    }

    static int defaultPriority(NodeRole role) {
        return role == NodeRole.PRIMARY ? PRIMARY_PRIORITY : SECONDARY_PRIORITY;
    }

    static String render(String id, List<String> addresses, NodeRole role) {
        return render(new NodeEntry(id, addresses, role, defaultPriority(role)), "  ");
    }

    static String render(NodeEntry entry, String indent) {
        return indent + "- {id: " + quoted(entry.id()) + ", addresses: ["
            + String.join(", ", entry.addresses().stream().map(NodeEntryLine::quoted).toList()) + "], role: "
            + entry.role().name().toLowerCase(Locale.ROOT) + ", priority: " + entry.priority() + "}";
    }

    /** The document with {@code entry} in place of the entry of the same id, or appended to {@code nodes:}. */
    static String upsert(String document, NodeEntry entry) throws IOException {
        List<String> lines = new ArrayList<>(List.of(document.split("\n", -1)));
        int key = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (NODES_KEY.matcher(lines.get(i)).matches()) {
                key = i;
                break;
            }
        }
        if (key < 0) {
            return viaTree(document, entry);
        }
        int lastEntry = -1;
        String indent = "  ";
        for (int i = key + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0)) && !line.startsWith("-")) {
                break;   // the next top-level key
            }
            Matcher flow = FLOW_ENTRY.matcher(line);
            if (!flow.matches()) {
                return viaTree(document, entry);   // a block-style entry: not ours to edit line by line
            }
            indent = flow.group(1);
            Matcher id = ID.matcher(flow.group(2));
            if (id.find() && id.group(1).equals(entry.id())) {
                lines.set(i, render(entry, indent));
                return String.join("\n", lines);
            }
            lastEntry = i;
        }
        lines.add((lastEntry < 0 ? key : lastEntry) + 1, render(entry, indent));
        return String.join("\n", lines);
    }

    private static String viaTree(String document, NodeEntry entry) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        JsonNode root = yaml.readTree(document);
        if (!(root instanceof ObjectNode tree)) {
            throw new IOException("the cluster document is not a YAML mapping");
        }
        ArrayNode nodes = tree.has("nodes") && tree.get("nodes").isArray() ? (ArrayNode) tree.get("nodes") : tree.putArray("nodes");
        ObjectNode replacement = yaml.createObjectNode();
        replacement.put("id", entry.id());
        ArrayNode addresses = replacement.putArray("addresses");
        entry.addresses().forEach(addresses::add);
        replacement.put("role", entry.role().name().toLowerCase(Locale.ROOT));
        replacement.put("priority", entry.priority());
        for (int i = 0; i < nodes.size(); i++) {
            if (entry.id().equals(nodes.get(i).path("id").asText())) {
                nodes.set(i, replacement);
                return yaml.writeValueAsString(tree);
            }
        }
        nodes.add(replacement);
        return yaml.writeValueAsString(tree);
    }

    private static String quoted(String value) {
        return value.matches("[A-Za-z0-9._:-]+") ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
