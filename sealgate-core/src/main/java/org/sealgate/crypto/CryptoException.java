package org.sealgate.crypto;

/** A cryptographic operation failed; the message says what failed, never what the content was. */
public class CryptoException extends Exception {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
