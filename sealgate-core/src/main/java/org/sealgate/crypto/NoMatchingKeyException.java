package org.sealgate.crypto;

import java.util.List;

/** None of the offered private keys belongs to a recipient of the encrypted message. */
public class NoMatchingKeyException extends CryptoException {
    private static final long serialVersionUID = 1L;

    private final List<String> recipientIdentifiers;

    public NoMatchingKeyException(List<String> recipientIdentifiers) {
        super("no candidate key matches any recipient of the message; recipients: " + recipientIdentifiers);
        this.recipientIdentifiers = List.copyOf(recipientIdentifiers);
    }

    /** Human-readable recipient identifiers (issuer + serial, subject key id, or KEK id) found in the message. */
    public List<String> recipientIdentifiers() {
        return recipientIdentifiers;
    }
}
