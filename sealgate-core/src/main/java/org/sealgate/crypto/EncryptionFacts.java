package org.sealgate.crypto;

import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What a certificate says once and for all about encrypting to it: its key family and whether its keyUsage and
 * extendedKeyUsage allow it. Every outbound mail checked them per candidate certificate per recipient (parsing the
 * SubjectPublicKeyInfo and the extensions each time); they depend on the certificate's bytes only, so they are
 * remembered here. Keyed by the certificate itself ({@link X509Certificate#equals} compares the DER encoding, its
 * hash is computed once per certificate object): a different certificate with a colliding slot is never taken for
 * this one. Direct-mapped and fixed in size (no growth, no lock; a collision only costs recomputing). Time,
 * CRLs and live revocation are never remembered here.
 */
record EncryptionFacts(X509Certificate certificate, KeyKind kind, boolean keyUsageAllows, boolean ekuAllows) {
    static final int SLOTS = 256;   // a power of two
    private static final AtomicReferenceArray<EncryptionFacts> ENTRIES = new AtomicReferenceArray<>(SLOTS);

    static EncryptionFacts of(X509Certificate certificate) {
        int hash = certificate.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        EncryptionFacts facts = ENTRIES.get(slot);
        if (facts != null && facts.certificate().equals(certificate)) {
            return facts;
        }
        KeyKind kind = KeyKind.of(certificate);
        facts = new EncryptionFacts(certificate, kind, CertificateFacts.keyUsageAllowsEncryption(certificate, kind),
                CertificateFacts.ekuAllowsEmail(certificate));
        ENTRIES.set(slot, facts);
        return facts;
    }
}
