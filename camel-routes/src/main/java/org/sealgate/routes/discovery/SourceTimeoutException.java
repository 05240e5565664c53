package org.sealgate.routes.discovery;

import java.io.IOException;

/**
 * A key source ran out of its own timeout. Reported like the route giving up on it: which of the two notices the
 * same deadline first is a race, and the audit reason must not depend on it.
 */
final class SourceTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    SourceTimeoutException(String message) {
        super(message);
    }
}
