package org.sealgate.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Searches the node's audit trail ({@code audit.jsonl} and its rotated files in one directory, one JSON object per
 * mail as camel-routes writes it) by sender, recipient, message id (each a case-insensitive substring) and a time
 * range. Read only; bounded: at most {@link #MAX_RESULTS} results (the newest) and {@link #MAX_LINE_CHARS} per line.
 */
final class AuditSearch {
    static final int MAX_RESULTS = 200;
    static final int MAX_LINE_CHARS = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Query(String sender, String recipient, String messageId, Optional<Instant> from, Optional<Instant> to) {
        boolean empty() {
            return sender.isEmpty() && recipient.isEmpty() && messageId.isEmpty() && from.isEmpty() && to.isEmpty();
        }
    }

    record Hit(String time, String direction, String messageId, String sender, List<String> recipients, String outcome,
               String reason) {
    }

    record Result(List<Hit> hits, boolean truncated, int unreadable) {
    }

    private final Path directory;

    AuditSearch(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    /** A time from a form: an ISO instant, or a date-time without zone (UTC), or a date (its start, UTC). */
    static Optional<Instant> time(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.strip();
        try {
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return Optional.of(Instant.parse(t + "T00:00:00Z"));
            }
            if (t.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?")) {
                return Optional.of(Instant.parse(t + (t.length() == 16 ? ":00Z" : "Z")));
            }
            return Optional.of(Instant.parse(t));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: '" + t + "' (use 2026-12-06 or 2026-12-06T14:30, UTC)");
        }
    }

    Result search(Query query) throws IOException {
        List<Hit> hits = new ArrayList<>();
        boolean truncated = false;
        int unreadable = 0;
        if (!Files.isDirectory(directory)) {
            return new Result(hits, false, 0);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            // Oldest first: rotated files (.N, higher is older) before the live one.
            files = list.filter(f -> f.getFileName().toString().matches(".*\\.jsonl(\\.\\d{1,4})?"))
                .sorted((a, b) -> Integer.compare(rotation(b), rotation(a))).toList();
        }
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    if (line.length() > MAX_LINE_CHARS) {
                        unreadable++;
                        continue;
                    }
                    Hit hit;
                    try {
                        hit = hit(JSON.readTree(line));
                    } catch (IOException e) {
                        unreadable++;
                        continue;
                    }
                    if (hit != null && matches(hit, query)) {
                        hits.add(hit);
                        if (hits.size() > MAX_RESULTS) {
                            hits.remove(0);
                            truncated = true;
                        }
                    }
                }
            }
        }
        java.util.Collections.reverse(hits);   // newest first
        return new Result(List.copyOf(hits), truncated, unreadable);
    }

    private static int rotation(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jsonl") ? 0 : Integer.parseInt(name.substring(name.lastIndexOf('.') + 1));
    }

    private static Hit hit(JsonNode node) {
        if (!node.isObject() || !node.hasNonNull("time")) {
            return null;
        }
        List<String> recipients = new ArrayList<>();
        for (JsonNode r : node.path("recipients")) {
            recipients.add(r.path("recipient").asText(""));
        }
        return new Hit(node.path("time").asText(), node.path("direction").asText(""), node.path("messageId").asText(""),
            node.path("sender").asText(""), recipients, node.path("outcome").asText(""), node.path("reason").asText(""));
    }

    private static boolean matches(Hit hit, Query query) {
        Instant time;
        try {
            time = Instant.parse(hit.time());
        } catch (DateTimeParseException e) {
            return false;
        }
        return contains(hit.sender(), query.sender())
            && (query.recipient().isEmpty() || hit.recipients().stream().anyMatch(r -> contains(r, query.recipient())))
            && contains(hit.messageId(), query.messageId())
            && query.from().map(f -> !time.isBefore(f)).orElse(true)
            && query.to().map(t -> time.isBefore(t)).orElse(true);
    }

    private static boolean contains(String value, String wanted) {
        return wanted.isEmpty() || value.toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT));
    }
}
