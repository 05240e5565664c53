package org.sealgate.crypto;

import java.security.cert.X509Certificate;

import org.sealgate.memo.DirectMappedMemo;

/**
 * What a certificate says once and for all about encrypting to it: its key family and whether its keyUsage and
 * extendedKeyUsage allow it. Every outbound mail checked them per candidate certificate per recipient (parsing the
 * SubjectPublicKeyInfo and the extensions each time); they depend on the certificate's bytes only, so they are
 * remembered here. Keyed by the certificate itself ({@link X509Certificate#equals} compares the DER encoding, its
 * hash is computed once per certificate object): a different certificate with a colliding slot is never taken for
 * this one. Held in a {@link DirectMappedMemo} (fixed size, no lock; a collision only costs recomputing). Time,
 * CRLs and live revocation are never remembered here.
 */
record EncryptionFacts(X509Certificate certificate, KeyKind kind, boolean keyUsageAllows, boolean ekuAllows) {
    static final int SLOTS = 256;
    private static final DirectMappedMemo<X509Certificate, EncryptionFacts> MEMO = new DirectMappedMemo<>(SLOTS);

    static EncryptionFacts of(X509Certificate certificate) {
        return MEMO.get(certificate, EncryptionFacts::read);
    }

    private static EncryptionFacts read(X509Certificate certificate) {
        KeyKind kind = KeyKind.of(certificate);
        return new EncryptionFacts(certificate, kind, CertificateFacts.keyUsageAllowsEncryption(certificate, kind),
                CertificateFacts.ekuAllowsEmail(certificate));
    }
}
