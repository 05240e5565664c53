package org.sealgate.crypto;

import java.util.Objects;
import javax.mail.internet.MimeMessage;
import org.sealgate.keys.ManagedIdentity;

/**
 * @param message             the decrypted message: outer non-content headers plus the inner entity byte-for-byte
 * @param identity            whose key opened it
 * @param contentAlgorithm    e.g. {@code AES-256-GCM}
 * @param integrityProtected  true for AuthEnvelopedData (the MAC was verified), false for EnvelopedData
 */
public record DecryptionResult(MimeMessage message, ManagedIdentity identity, String contentAlgorithm,
                               boolean integrityProtected) {
    public DecryptionResult {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(contentAlgorithm, "contentAlgorithm");
    }
}
