package org.sealgate.bench.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway node's launch defaults ({@code org/sealgate/node/node-jvm.env} in the gateway-node jar, the file the
 * launchers read too): JVM options and environment variables, so that benchmark nodes run as the appliance's do.
 */
final class NodeDefaults {
    static final String RESOURCE = "/org/sealgate/node/node-jvm.env";
    static final String JAVA_OPTS = "SEALGATE_NODE_JAVA_OPTS";

    private final Map<String, String> values;

    private NodeDefaults(Map<String, String> values) {
        this.values = values;
    }

    static NodeDefaults load() {
        try (InputStream in = NodeDefaults.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath (gateway-node's jar)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** KEY=value lines; blank lines and lines starting with # are skipped, as systemd's EnvironmentFile does. */
    static NodeDefaults parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(RESOURCE + ": not KEY=value: " + trimmed);
            }
            values.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
        }
        return new NodeDefaults(Map.copyOf(values));
    }

    /** The node's JVM options, in order. */
    List<String> javaOptions() {
        String options = values.getOrDefault(JAVA_OPTS, "");
        return options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
    }

    /** Environment variables for the node's process (everything but the JVM options). */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(values);
        env.remove(JAVA_OPTS);
        return env;
    }
}
