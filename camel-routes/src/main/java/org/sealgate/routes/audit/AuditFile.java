package org.sealgate.routes.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectWriter;

import org.sealgate.audit.AuditEvent;

/**
 * The audit trail file: each event appended as one JSON line and, unless told otherwise, forced to the disk before
 * the next is taken. The file is opened per event, so one moved away (rotated) is followed by a new one, and its
 * directory is created when missing. Camel's file producer did the same with about 300 KB of buffers and a
 * Reader/Writer pair per event (docs/benchmarks/history.md); this writes the encoded bytes directly.
 */
final class AuditFile {
    private static final byte[] LINE_END = {'\n'};

    private final Path file;
    private final boolean force;
    private final ObjectWriter json = AuditJson.objectMapper().writerFor(AuditEvent.class);

    AuditFile(Path file, boolean force) {
        this.file = Objects.requireNonNull(file);
        this.force = force;
    }

    /** Appends the event as one line; throws when it is not written (the route retries, then counts it lost). */
    void append(AuditEvent event) throws IOException {
        byte[] line = json.writeValueAsBytes(Objects.requireNonNull(event, "audit event"));
        try {
            write(line);
        } catch (NoSuchFileException e) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            write(line);
        }
    }

    private void write(byte[] line) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
            ByteBuffer[] buffers = {ByteBuffer.wrap(line), ByteBuffer.wrap(LINE_END)};
            while (buffers[1].hasRemaining()) {
                channel.write(buffers);
            }
            if (force) {
                channel.force(false);
            }
        }
    }

    Path file() {
        return file;
    }
}
