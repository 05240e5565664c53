package org.sealgate.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * File writes for the key directory: owner-only permissions and atomic replacement, so that a process reading the
 * directory concurrently sees either the old file or the complete new one, never a half-written one.
 */
final class PrivateFiles {
    static final String TEMP_PREFIX = ".tmp-";

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    /** Creates the directory (and parents) if missing and restricts it to the owner. */
    static Path ownerOnlyDirectory(Path directory) {
        try {
            if (POSIX) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
                Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
            } else {
                Files.createDirectories(directory);
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create key directory " + directory, e);
        }
    }

    /** Writes {@code content} to {@code target}, replacing any existing file atomically. */
    static void writeAtomically(Path target, byte[] content) {
        Path temp = writeTemp(target, content);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + target, e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes the rename itself durable; best effort, as not every platform can open a directory for syncing. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // The file content is synced already; at worst a crash right now loses this one new entry.
        }
    }

    /**
     * Creates {@code target} with {@code content} unless it exists; returns false when another writer was first.
     * A hard link is the atomic "create complete file, fail if present" primitive; a rename would overwrite.
     */
    static boolean createAtomically(Path target, byte[] content) {
        Path temp = writeTemp(target, content);
        try {
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Takes group and other permissions away, e.g. from a secret restored from a backup with a loose umask. */
    static void restrictToOwner(Path file) {
        if (!POSIX) {
            return;
        }
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY_FILE)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict permissions of " + file, e);
        }
    }

    static boolean isTemporary(Path file) {
        return file.getFileName().toString().startsWith(".");
    }

    private static Path writeTemp(Path target, byte[] content) {
        Path directory = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(directory, TEMP_PREFIX, ".part", ownerOnlyFileAttributes());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                // Flush before the rename so a crash cannot leave a renamed but empty file.
                channel.force(true);
            }
            return temp;
        } catch (IOException e) {
            if (temp != null) {
                deleteQuietly(temp);
            }
            throw new UncheckedIOException("cannot write temporary file in " + directory, e);
        }
    }

    private static FileAttribute<?>[] ownerOnlyFileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)} : new FileAttribute<?>[0];
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Best effort: a leftover temp file starts with '.' and is ignored by every reader.
        }
    }
}
