package org.sealgate.gina.portal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A parsed POST: text fields and uploaded files, all in memory (an upload is never written to disk). */
record FormInput(Map<String, String> fields, List<Upload> uploads, Map<String, String> cookies, String client) {

    record Upload(String fileName, String contentType, byte[] content) {
    }

    Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name)).filter(v -> !v.isEmpty());
    }

    String fieldOrEmpty(String name) {
        return fields.getOrDefault(name, "");
    }

    Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name)).filter(v -> !v.isEmpty());
    }
}
