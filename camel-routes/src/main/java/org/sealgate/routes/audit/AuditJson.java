package org.sealgate.routes.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.sealgate.audit.AuditEvent;

/**
 * The JSON form of audit events: one compact object per line, times as ISO-8601 strings, fields in the order an
 * administrator reads them. Mix-ins keep Jackson out of the {@link AuditEvent} record in sealgate-core.
 */
public final class AuditJson {
    private AuditJson() {
    }

    /** A mapper that writes (and reads back) audit lines. */
    public static ObjectMapper objectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Compact output is what keeps one event on one line; JSON escapes newlines inside strings.
                .disable(SerializationFeature.INDENT_OUTPUT)
                .addMixIn(AuditEvent.class, EventFieldOrder.class)
                .addMixIn(AuditEvent.RecipientOutcome.class, RecipientFieldOrder.class)
                .build();
    }

    @JsonPropertyOrder({"time", "messageId", "direction", "sender", "recipients", "outcome", "reason"})
    private interface EventFieldOrder {
    }

    @JsonPropertyOrder({"recipient", "method", "keyFingerprint", "policy"})
    private interface RecipientFieldOrder {
        /** Only outbound mail has a policy decision; inbound lines stay as they were. */
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        String policy();
    }
}
