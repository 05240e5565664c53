package org.sealgate.gina.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The portal's audit trail: one JSON object per line (time, node, event, address, message id, client, outcome,
 * detail). Callers pass facts, never secrets: no passwords, tokens, container bytes or message content.
 */
public final class AuditLog {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path file;
    private final String node;
    private final Clock clock;

    public AuditLog(Path file, String node, Clock clock) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.file = file;
        this.node = node;
        this.clock = clock;
    }

    public synchronized void record(String event, String address, String messageId, String client, String outcome,
                                    Map<String, String> detail) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("node", node);
        line.put("source", "gina-portal");
        line.put("event", event);
        line.put("address", address);
        line.put("messageId", messageId);
        line.put("client", client);
        line.put("outcome", outcome);
        detail.forEach(line::put);
        try {
            Files.writeString(file, MAPPER.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit trail " + file, e);
        }
    }

    public Path file() {
        return file;
    }
}
