package org.sealgate.zk.config;

import java.util.List;
import java.util.stream.Collectors;

/** A document that cannot be used, with every error found (not just the first), in document order. */
public final class InvalidConfigException extends Exception {
    private final List<ConfigError> errors;

    public InvalidConfigException(List<ConfigError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }

    private static String summary(List<ConfigError> errors) {
        return "configuration refused, " + errors.size() + (errors.size() == 1 ? " error" : " errors") + ":"
            + errors.stream().map(e -> "\n  " + e).collect(Collectors.joining());
    }
}
