package org.sealgate.crypto;

import java.util.List;
import java.util.Objects;

import org.sealgate.pgp.PgpManagedKey;

/**
 * One decryption of an OpenPGP message for several managed recipients.
 *
 * @param result the message as decrypted with the first candidate key it was encrypted to
 * @param opened every candidate key that opens it: the first, and each further one whose session-key packet carries
 *               the same session key (or, where that cannot be shown from the packets, that decrypted it itself)
 */
public record PgpRecipientsDecryption(PgpDecryptionResult result, List<PgpManagedKey> opened) {
    public PgpRecipientsDecryption {
        Objects.requireNonNull(result, "result");
        opened = List.copyOf(opened);
    }
}
