package org.sealgate.console;

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
 * The console's audit trail: one JSON object per line (time, source, admin, event, outcome, client, detail) for
 * every login attempt and every admin action. Facts only: never a password, TOTP code, session or CSRF value.
 * Values a visitor controls (a name typed at login, search terms) are cut to {@link #MAX_VALUE_CHARS}.
 */
final class ConsoleAudit {
    static final int MAX_VALUE_CHARS = 256;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Clock clock;

    ConsoleAudit(Path file, Clock clock) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.file = file;
        this.clock = clock;
    }

    synchronized void record(String admin, String event, String outcome, String client, Map<String, String> detail) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("source", "admin-console");
        line.put("admin", cut(admin));
        line.put("event", event);
        line.put("outcome", outcome);
        line.put("client", client);
        detail.forEach((key, value) -> line.put(key, cut(value)));
        try {
            Files.write(file, (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the console audit trail " + file, e);
        }
    }

    Path file() {
        return file;
    }

    private static String cut(String value) {
        return value == null || value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS) + "…";
    }
}
