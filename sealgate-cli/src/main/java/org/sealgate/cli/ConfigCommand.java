package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.ConfigError;
import org.sealgate.zk.config.InvalidConfigException;
import org.sealgate.zk.store.ConfigAccessDeniedException;
import org.sealgate.zk.store.ConfigConflictException;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ConfigStoreException;
import org.sealgate.zk.store.HistoryEntry;
import org.sealgate.zk.store.StoredConfig;

/**
 * {@code sealgate config apply FILE | show | diff FILE | history | rollback VERSION}: the cluster configuration
 * in ZooKeeper (see {@link ZkTarget} for {@code --zk}/{@code --data}). Documents are validated before anything is
 * written; every error is printed with its line and column. Exit status: 0 done, 1 refused or failed (nothing
 * written), 2 usage, 3 conflict with a concurrent apply (nothing written; look, merge, apply again).
 */
public final class ConfigCommand {
    public static final int REFUSED = 1;
    public static final int CONFLICT = 3;
    private static final Set<String> OPTIONS = Set.of(ZkTarget.ZK, ZkTarget.ADMIN_CREDENTIALS, ZkTarget.NODE_CREDENTIALS, ZkTarget.ZK_TLS,
        "data", "expected-version", "message");

    private ConfigCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Arguments arguments = new Arguments(args, OPTIONS);
        String action = arguments.positional(0, "config action (apply FILE, show, diff FILE, history, rollback VERSION)");
        // Validate the file before connecting: a refused document needs no ZooKeeper and writes nothing.
        Optional<ConfigDocument> document = Optional.empty();
        if (action.equals("apply") || action.equals("diff")) {
            Path file = Paths.get(arguments.positional(1, action + " FILE"));
            try {
                document = Optional.of(ConfigDocument.parse(readFile(file)));
            } catch (InvalidConfigException e) {
                printErrors(file, e, err);
                if (action.equals("apply")) {
                    return REFUSED;
                }
            }
        }
        ZkTarget target = ZkTarget.from(arguments);
        try (AdminSession session = AdminSession.open(target)) {
            return switch (action) {
                case "apply" -> apply(session, document.orElseThrow(), arguments, out);
                case "show" -> show(session.reader(), out);
                case "diff" -> diff(session.reader(), Paths.get(arguments.positional(1, "diff FILE")), document, out);
                case "history" -> history(session.reader(), out);
                case "rollback" -> rollback(session, version(arguments.positional(1, "rollback VERSION")), out);
                default -> throw new Arguments.UsageException("unknown config action '" + action + "'");
            };
        } catch (ConfigConflictException e) {
            err.println("sealgate: conflict: " + e.getMessage());
            return CONFLICT;
        } catch (InvalidConfigException e) {
            err.println("sealgate: " + e.getMessage());
            return REFUSED;
        } catch (ConfigAccessDeniedException e) {
            err.println("sealgate: access denied as " + target.admin() + ": " + e.getMessage());
            return REFUSED;
        } catch (ConfigStoreException e) {
            err.println("sealgate: " + e.getMessage());
            return REFUSED;
        }
    }

    private static int apply(AdminSession session, ConfigDocument document, Arguments arguments, PrintStream out)
        throws ConfigStoreException, InvalidConfigException, ConfigConflictException {
        ConfigStore store = session.writer();
        // Without --expected-version the admin means "on top of whatever is current now"; with it, "on top of
        // the version I looked at", so a change made meanwhile by someone else is a conflict, not overwritten.
        int expected = arguments.option("expected-version").isPresent()
            ? version(arguments.option("expected-version").get())
            : store.currentVersion();
        HistoryEntry entry = store.apply(document.text(), expected, arguments.option("message").orElse(""));
        out.println("applied configuration version " + entry.version() + " (sha256 " + entry.sha256() + ")");
        return 0;
    }

    private static int show(ConfigStore store, PrintStream out) throws ConfigStoreException {
        Optional<StoredConfig> current = store.show();
        if (current.isEmpty()) {
            out.println("# no configuration applied yet");
            return 0;
        }
        // The header is a YAML comment, so 'config show > FILE' gives a document that can be edited and applied.
        out.println("# configuration version " + current.get().version() + ", applied "
            + DateTimeFormatter.ISO_INSTANT.format(current.get().modifiedAt()));
        out.print(current.get().document());
        if (!current.get().document().endsWith("\n")) {
            out.println();
        }
        return 0;
    }

    private static int diff(ConfigStore store, Path file, Optional<ConfigDocument> document, PrintStream out)
        throws ConfigStoreException, IOException {
        String text = document.map(ConfigDocument::text).orElse(new String(readFile(file), java.nio.charset.StandardCharsets.UTF_8));
        String diff = store.diff(text);
        out.print(diff.isEmpty() ? "no changes\n" : diff.endsWith("\n") ? diff : diff + "\n");
        return document.isPresent() ? 0 : REFUSED;
    }

    private static int history(ConfigStore store, PrintStream out) throws ConfigStoreException {
        List<HistoryEntry> entries = store.history();
        if (entries.isEmpty()) {
            out.println("no configuration applied yet");
            return 0;
        }
        out.printf("%-8s %-24s %-16s %8s  %s%n", "VERSION", "APPLIED (UTC)", "AUTHOR", "BYTES", "SHA-256");
        for (HistoryEntry entry : entries) {
            out.printf("%-8d %-24s %-16s %8d  %s%s%n", entry.version(), DateTimeFormatter.ISO_INSTANT.format(entry.appliedAt()),
                entry.author(), entry.size(), entry.sha256().substring(0, 16), entry.message().isEmpty() ? "" : "  " + entry.message());
        }
        return 0;
    }

    private static int rollback(AdminSession session, int version, PrintStream out)
        throws ConfigStoreException, InvalidConfigException, ConfigConflictException {
        HistoryEntry entry = session.writer().rollback(version);
        out.println("rolled back to the document of version " + version + ", now configuration version " + entry.version());
        return 0;
    }

    private static void printErrors(Path file, InvalidConfigException e, PrintStream err) {
        int count = e.errors().size();
        err.println("sealgate: " + file + ": configuration refused, " + count + (count == 1 ? " error" : " errors")
            + "; nothing was written:");
        for (ConfigError error : e.errors()) {
            err.println("  " + file + ":" + error.line() + ":" + error.column() + ": "
                + (error.path().isEmpty() ? "document" : error.path()) + ": " + error.message());
        }
    }

    private static byte[] readFile(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Arguments.UsageException("no such file: " + file);
        }
    }

    private static int version(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new Arguments.UsageException("not a configuration version: '" + text + "'");
        }
    }
}
