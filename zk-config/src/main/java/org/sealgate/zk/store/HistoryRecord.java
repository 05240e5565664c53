package org.sealgate.zk.store;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The data of a history znode, JSON: who applied the version, the document's hash, and the document itself, so
 * that a rollback needs nothing but the history entry. {@code message}: the admin's note ({@code --message}), absent in
 * entries written before it existed.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
record HistoryRecord(int version, String author, String sha256, String document, String message) {
    private static final ObjectMapper JSON = new ObjectMapper();

    byte[] encode() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a record of strings always serialises", e);
        }
    }

    static HistoryRecord decode(byte[] data) throws IOException {
        return JSON.readValue(data, HistoryRecord.class);
    }
}
