package org.sealgate.gina.account;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The account as a small JSON document (format 1), as stored in its znode. */
final class AccountJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int FORMAT = 1;

    private AccountJson() {
    }

    static byte[] write(GinaAccount a) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("format", FORMAT);
        node.put("address", a.address());
        node.put("state", a.state().name());
        node.put("passwordHash", a.passwordHash());
        node.put("failedLogins", a.failedLogins());
        a.lockedUntil().ifPresent(t -> node.put("lockedUntil", t.toString()));
        node.put("sessionGeneration", a.sessionGeneration());
        a.securityQuestion().ifPresent(q -> node.put("securityQuestion", q));
        a.securityAnswerHash().ifPresent(h -> node.put("securityAnswerHash", h));
        a.phone().ifPresent(p -> node.put("phone", p));
        node.put("created", a.created().toString());
        node.put("updated", a.updated().toString());
        a.firstPasswordIssued().ifPresent(t -> node.put("firstPasswordIssued", t.toString()));
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static GinaAccount read(byte[] bytes) throws IOException {
        JsonNode n = MAPPER.readTree(bytes);
        if (n == null || n.path("format").asInt() != FORMAT) {
            throw new IOException("not an account document of format " + FORMAT);
        }
        try {
            return new GinaAccount(text(n, "address"), AccountState.valueOf(text(n, "state")), text(n, "passwordHash"),
                n.path("failedLogins").asInt(), optional(n, "lockedUntil").map(Instant::parse),
                n.path("sessionGeneration").asLong(), optional(n, "securityQuestion"), optional(n, "securityAnswerHash"),
                optional(n, "phone"), Instant.parse(text(n, "created")), Instant.parse(text(n, "updated")),
                optional(n, "firstPasswordIssued").map(Instant::parse));
        } catch (RuntimeException e) {
            throw new IOException("garbled account document: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode value = n.get(field);
        if (value == null || !value.isTextual()) {
            throw new IOException("account document lacks '" + field + "'");
        }
        return value.asText();
    }

    private static Optional<String> optional(JsonNode n, String field) {
        JsonNode value = n.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
