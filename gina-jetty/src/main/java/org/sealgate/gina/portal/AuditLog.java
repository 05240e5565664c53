package org.sealgate.gina.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The portal's audit trail: one JSON object per line (time, node, event, address, message id, client, outcome,
 * detail). Callers pass facts, never secrets: no passwords, tokens, container bytes or message content. Every
 * value is cut to {@link #MAX_VALUE_CHARS} (a visitor controls some of them), and the file rotates by size:
 * {@code gina-audit.jsonl} → {@code .1} → … → {@code .N}, the oldest dropped, so a flood cannot fill the disk.
 * Each event is also the portal log's one line for its request (without the details, which may name a session).
 */
public final class AuditLog {
    static final int MAX_VALUE_CHARS = 256;
    private static final long DEFAULT_MAX_BYTES = 10L << 20;
    private static final int DEFAULT_FILES = 5;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final org.slf4j.Logger REQUESTS = org.slf4j.LoggerFactory.getLogger(PortalLogging.REQUESTS);
    private final Path file;
    private final String node;
    private final Clock clock;
    private final long maxBytes;
    private final int files;

    public AuditLog(Path file, String node, Clock clock) throws IOException {
        this(file, node, clock, DEFAULT_MAX_BYTES, DEFAULT_FILES);
    }

    /** @param maxBytes size at which the file rotates; {@code files}: how many rotated files are kept */
    public AuditLog(Path file, String node, Clock clock, long maxBytes, int files) throws IOException {
        if (maxBytes < 1 || files < 1) {
            throw new IllegalArgumentException("audit rotation: max bytes and files must be at least 1");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.file = file;
        this.node = node;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.files = files;
    }

    public synchronized void record(String event, String address, String messageId, String client, String outcome,
                                    Map<String, String> detail) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("node", node);
        line.put("source", "gina-portal");
        line.put("event", cut(event));
        line.put("address", cut(address));
        line.put("messageId", cut(messageId));
        line.put("client", cut(client));
        line.put("outcome", cut(outcome));
        detail.forEach((key, value) -> line.put(cut(key), cut(value)));
        REQUESTS.info("{} {} address={} message={} client={}", logged(event), logged(outcome), logged(address),
            logged(messageId), logged(client));
        try {
            byte[] bytes = (MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            if (Files.exists(file) && Files.size(file) + bytes.length > maxBytes) {
                rotate();
            }
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit trail " + file, e);
        }
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(rotated(files));
        for (int i = files - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path rotated(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    /** A value for the one-line log: cut, and no control characters (a visitor must not forge log lines). */
    private static String logged(String value) {
        return value == null ? "-" : cut(value).replaceAll("[\\p{Cntrl}\\s]", "_");
    }

    private static String cut(String value) {
        return value == null || value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS) + "…";
    }

    public Path file() {
        return file;
    }
}
