package org.sealgate.crypto;

import java.util.Objects;

/**
 * How OpenPGP encryption is done. Integrity protection is not a choice: SEIPDv1 always carries its MDC, and the
 * legacy unprotected packet is never produced.
 *
 * @param seipdV2 use SEIPDv2 (AEAD) when every recipient key announces support for it; otherwise SEIPDv1 + MDC
 * @param aead    the AEAD mode for SEIPDv2 (with AES-256)
 * @param headers header protection (RFC 9788): the real Subject inside, an obscured one outside
 */
public record PgpEncryptionPolicy(boolean seipdV2, Aead aead, HeaderProtection headers) {

    public enum Aead { OCB, GCM }

    public static final PgpEncryptionPolicy DEFAULT = new PgpEncryptionPolicy(true, Aead.OCB, HeaderProtection.DEFAULT);

    public PgpEncryptionPolicy {
        Objects.requireNonNull(aead, "aead");
        Objects.requireNonNull(headers, "headers");
    }

    public PgpEncryptionPolicy withHeaders(HeaderProtection protection) {
        return new PgpEncryptionPolicy(seipdV2, aead, protection);
    }
}
