package org.sealgate.held;

/**
 * A held mail that cannot be read or written: missing, changed on disk, sealed under another key, or an I/O error.
 * The message names the id and the cause, never any content.
 */
public class HeldMailException extends Exception {
    public HeldMailException(String message) {
        super(message);
    }

    public HeldMailException(String message, Throwable cause) {
        super(message, cause);
    }
}
