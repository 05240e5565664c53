package org.sealgate.gina.session;

/** A sealed value or session token that is forged, changed, expired, replayed after logout, or otherwise refused. */
public final class InvalidSealException extends Exception {
    public InvalidSealException(String message) {
        super(message);
    }
}
