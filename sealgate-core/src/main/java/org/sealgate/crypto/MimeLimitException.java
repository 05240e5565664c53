package org.sealgate.crypto;

import java.io.IOException;

/** A mail passed one of its {@link MimeLimits}; the message names the limit (never content). */
public class MimeLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    public MimeLimitException(String message) {
        super(message);
    }
}
