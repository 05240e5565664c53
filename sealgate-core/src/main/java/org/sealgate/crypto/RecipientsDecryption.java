package org.sealgate.crypto;

import java.util.List;
import java.util.Objects;

import org.sealgate.keys.ManagedIdentity;

/**
 * A message decrypted once for several managed recipients.
 *
 * @param result    the decrypted message (opened with the first named candidate's key)
 * @param addressed every candidate a RecipientInfo named and whose RecipientInfo carries the same content key
 */
public record RecipientsDecryption(DecryptionResult result, List<ManagedIdentity> addressed) {
    public RecipientsDecryption {
        Objects.requireNonNull(result, "result");
        addressed = List.copyOf(addressed);
    }
}
