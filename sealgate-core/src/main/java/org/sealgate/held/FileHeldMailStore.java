package org.sealgate.held;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link HeldMailStore} in a directory; see {@link HeldMailStores} for the layout. */
final class FileHeldMailStore implements HeldMailStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(FileHeldMailStore.class);
    private static final String SUFFIX = ".held";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    /** How many entries one listing reads at most: a bounded answer even from a directory someone flooded. */
    private static final int MAX_LISTED = 10_000;

    private final Path directory;
    private final Path requests;
    private final HeldMailKey key;
    private final List<HeldMailKey> earlierKeys;
    private final Clock clock;

    FileHeldMailStore(Path directory, HeldMailKey key, List<HeldMailKey> earlierKeys, Clock clock) {
        this.directory = directory.toAbsolutePath().normalize();
        this.requests = this.directory.resolve("requests");
        this.key = key;
        this.earlierKeys = List.copyOf(earlierKeys);
        this.clock = clock;
    }

    /** The key a record was sealed under: the current one, or one the node used before (still opens, never seals). */
    private HeldMailKey keyFor(HeldRecord.Header header) {
        for (HeldMailKey earlier : earlierKeys) {
            if (earlier.keyId().equals(header.keyId())) {
                return earlier;
            }
        }
        return key;
    }

    @Override
    public HeldMail hold(HeldMail.Draft draft, byte[] content) throws HeldMailException {
        HeldMail mail = draft.withId(newId(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        Path target = file(mail.id());
        Path temp = null;
        try {
            ownerOnlyDirectory(directory);
            temp = Files.createTempFile(directory, ".tmp-", ".part", ownerOnlyFile());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(HeldRecord.seal(mail, content, key));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);    // durable before it has its name: never a named but empty record
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
            return mail;
        } catch (IOException | RuntimeException e) {
            if (temp != null) {
                deleteQuietly(temp);
            }
            throw new HeldMailException("cannot store held mail in " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Listing list() {
        List<HeldMail> mails = new ArrayList<>();
        Map<String, String> unreadable = new LinkedHashMap<>();
        for (String id : ids()) {
            try {
                mails.add(metadata(id));
            } catch (HeldMailException e) {
                unreadable.put(id, e.getMessage());
            }
        }
        mails.sort(Comparator.comparing(HeldMail::heldAt).thenComparing(HeldMail::id));
        return new Listing(List.copyOf(mails), unreadable);
    }

    @Override
    public HeldMail metadata(String id) throws HeldMailException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(read(id)))) {
            HeldRecord.Header header = HeldRecord.readHeader(in, id);
            return HeldRecord.openMetadata(header, in, keyFor(header));
        } catch (IOException e) {
            throw failure(id, e);
        }
    }

    @Override
    public HeldMessage open(String id) throws HeldMailException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(read(id)))) {
            HeldRecord.Header header = HeldRecord.readHeader(in, id);
            HeldMail mail = HeldRecord.openMetadata(header, in, keyFor(header));
            return new HeldMessage(mail, HeldRecord.openContent(header, in, keyFor(header)));
        } catch (IOException e) {
            throw failure(id, e);
        }
    }

    @Override
    public boolean delete(String id) throws HeldMailException {
        try {
            boolean deleted = Files.deleteIfExists(file(id));
            syncDirectory();
            return deleted;
        } catch (IOException e) {
            throw failure(id, e);
        }
    }

    @Override
    public List<String> heldBefore(Instant cutoff, int max) {
        List<String> old = new ArrayList<>();
        for (String id : ids()) {
            if (old.size() >= max) {
                break;
            }
            try (InputStream in = new BufferedInputStream(read(id))) {
                if (HeldRecord.readHeader(in, id).heldAt().isBefore(cutoff)) {
                    old.add(id);
                }
            } catch (IOException | HeldMailException e) {
                LOGGER.warn("Held mail {}: {}", id, e.getMessage());
            }
        }
        return old;
    }

    @Override
    public void request(String id, Action action) throws HeldMailException {
        try {
            ownerOnlyDirectory(requests);
            Files.createFile(requests.resolve(requestName(id, action)), ownerOnlyFile());
        } catch (FileAlreadyExistsException e) {
            // already requested
        } catch (IOException e) {
            throw new HeldMailException("cannot leave a request in " + requests + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Request> pendingRequests(int max) {
        List<Request> pending = new ArrayList<>();
        if (!Files.isDirectory(requests)) {
            return pending;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(requests)) {
            for (Path entry : entries) {
                if (pending.size() >= max) {
                    break;
                }
                Request request = parseRequest(entry.getFileName().toString());
                if (request == null) {
                    LOGGER.warn("Not a held mail request, removed unread: {}", entry.getFileName());
                    deleteQuietly(entry);
                } else {
                    pending.add(request);
                }
            }
        } catch (IOException e) {
            LOGGER.warn("Cannot read held mail requests in {}: {}", requests, e.getMessage());
        }
        return pending;
    }

    @Override
    public void finish(Request request) {
        deleteQuietly(requests.resolve(requestName(request.id(), request.action())));
    }

    @Override
    public boolean isRequested(String id, Action action) {
        return Files.exists(requests.resolve(requestName(id, action)));
    }

    private static Request parseRequest(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || !HeldMail.isId(name.substring(0, dot))) {
            return null;
        }
        for (Action action : Action.values()) {
            if (action.name().toLowerCase(Locale.ROOT).equals(name.substring(dot + 1))) {
                return new Request(name.substring(0, dot), action);
            }
        }
        return null;
    }

    private static String requestName(String id, Action action) {
        checkId(id);
        return id + "." + action.name().toLowerCase(Locale.ROOT);
    }

    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return ids;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (HeldMail.isId(id) && ids.size() < MAX_LISTED) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            LOGGER.warn("Cannot list held mail in {}: {}", directory, e.getMessage());
        }
        ids.sort(null);
        return ids;
    }

    private InputStream read(String id) throws HeldMailException {
        try {
            return Files.newInputStream(file(id));
        } catch (NoSuchFileException e) {
            throw new HeldMailException("no held mail " + id);
        } catch (IOException e) {
            throw failure(id, e);
        }
    }

    private Path file(String id) {
        checkId(id);
        return directory.resolve(id + SUFFIX);
    }

    private static void checkId(String id) {
        if (!HeldMail.isId(id)) {
            throw new IllegalArgumentException("not a held mail id (24 hex digits): " + id);
        }
    }

    private static HeldMailException failure(String id, IOException e) {
        return new HeldMailException("held mail " + id + ": " + e.getMessage(), e);
    }

    private static String newId() {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static void ownerOnlyDirectory(Path dir) throws IOException {
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static FileAttribute<?>[] ownerOnlyFile() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Best effort: not every platform syncs a directory; the record itself is synced.
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover starts with '.' or is retried
        }
    }
}
