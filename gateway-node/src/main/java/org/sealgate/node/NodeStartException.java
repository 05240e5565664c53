package org.sealgate.node;

import java.net.BindException;
import java.util.Optional;

/**
 * A node could not start for a reason its operator can fix; the message names the port or file and what to do,
 * and is printed as it is (no stack trace).
 */
public final class NodeStartException extends Exception {
    private static final long serialVersionUID = 1L;

    public NodeStartException(String message) {
        super(message);
    }

    /** The SMTP port is taken: say which, and where it is set. */
    public static NodeStartException portTaken(String host, int port, String whereSet) {
        return new NodeStartException("SMTP port " + host + ":" + port
            + " is already in use (another mail server or Sealgate node?): stop that, or " + whereSet);
    }

    /** The {@link BindException} somewhere in a failure's causes, if that is what it was. */
    static Optional<BindException> bindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return Optional.of(bind);
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof BindException bind) {
                    return Optional.of(bind);
                }
            }
        }
        return Optional.empty();
    }
}
