package org.sealgate.zk.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.sealgate.zk.store.LocalFiles;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A node's copy of the raw {@code /keys} entries (path → bytes, Base64 in JSON; sealed private keys stay sealed),
 * so a node restarted while ZooKeeper is down still has its partners' certificates and its managed keys.
 */
final class LocalKeyCopy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    LocalKeyCopy(Path file) {
        this.file = file.toAbsolutePath();
    }

    Path file() {
        return file;
    }

    void write(Map<String, byte[]> entries) throws IOException {
        Map<String, String> encoded = new TreeMap<>();
        entries.forEach((path, data) -> encoded.put(path, Base64.getEncoder().encodeToString(data)));
        LocalFiles.writeOwnerOnlyAtomically(file, JSON.writeValueAsBytes(encoded));
    }

    Map<String, byte[]> read() throws IOException {
        if (!Files.exists(file)) {
            return Map.of();
        }
        Map<String, String> encoded = JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() { });
        Map<String, byte[]> entries = new LinkedHashMap<>();
        encoded.forEach((path, data) -> entries.put(path, Base64.getDecoder().decode(data)));
        return entries;
    }
}
