package org.sealgate.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Positional arguments and {@code --flag value} options of one command line; unknown flags are refused. */
final class Arguments {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    Arguments(List<String> args, Set<String> knownOptions) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--")) {
                String name = arg.substring(2);
                if (!knownOptions.contains(name)) {
                    throw new UsageException("unknown option --" + name + " (known: " + knownOptions + ")");
                }
                if (i + 1 >= args.size()) {
                    throw new UsageException("--" + name + " needs a value");
                }
                options.put(name, args.get(++i));
            } else {
                positional.add(arg);
            }
        }
    }

    String positional(int index, String what) {
        if (index >= positional.size()) {
            throw new UsageException("missing " + what);
        }
        return positional.get(index);
    }

    int positionalCount() {
        return positional.size();
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** {@code --data}, else {@code $SEALGATE_DATA}, else the demo's default under the user's home. */
    Path dataDirectory() {
        return option("data")
            .or(() -> Optional.ofNullable(System.getenv("SEALGATE_DATA")).filter(s -> !s.isBlank()))
            .map(Paths::get)
            .orElse(Paths.get(System.getProperty("user.home"), ".sealgate", "demo"))
            .toAbsolutePath();
    }

    /**
     * {@link #dataDirectory()}, refused unless it holds {@code expectedFile}: a wrong {@code --data} is named as
     * such, not as a missing file deep inside.
     */
    Path existingDataDirectory(String expectedFile) {
        Path data = dataDirectory();
        if (!java.nio.file.Files.isRegularFile(data.resolve(expectedFile))) {
            throw new UsageException("no " + expectedFile + " in " + data + ": give --data the node's data directory"
                + " (or set SEALGATE_DATA)");
        }
        return data;
    }

    /** A command line that cannot be run; the message says why. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
