package org.sealgate.gina.mail;

/** GINA cannot be used on this node right now; the message says why, in words for the audit trail. */
public class GinaUnavailableException extends Exception {
    public GinaUnavailableException(String message) {
        super(message);
    }

    public GinaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
