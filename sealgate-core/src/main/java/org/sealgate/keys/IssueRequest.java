package org.sealgate.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What {@link CertificateIssuer#issue} should put into an end-entity S/MIME certificate.
 *
 * @param email            goes into subjectAltName rfc822Name and the CN unless {@code commonName} is set
 * @param commonName       subject CN
 * @param keyType          the subject key
 * @param notBefore        validity start (may be in the future, to make a not-yet-valid certificate)
 * @param notAfter         validity end (may be in the past, to make an expired certificate)
 * @param keyUsage         BC {@link org.bouncycastle.asn1.x509.KeyUsage} bits; null for the default of the key type;
 *                         0 for no keyUsage extension
 * @param extendedKeyUsage null for emailProtection; an empty list for no extendedKeyUsage extension
 */
public record IssueRequest(String email, String commonName, KeyType keyType, Instant notBefore, Instant notAfter,
                           Integer keyUsage, List<KeyPurposeId> extendedKeyUsage) {

    public IssueRequest {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(keyType, "keyType");
        commonName = commonName == null ? email : commonName;
        notBefore = notBefore == null ? Instant.now().minus(Duration.ofHours(1)) : notBefore;
        notAfter = notAfter == null ? notBefore.plus(Duration.ofDays(365)) : notAfter;
        extendedKeyUsage = extendedKeyUsage == null ? null : List.copyOf(extendedKeyUsage);
    }

    /** Valid from an hour ago for a year, default key usage, EKU emailProtection. */
    public static IssueRequest forEmail(String email, KeyType keyType) {
        return new IssueRequest(email, null, keyType, null, null, null, null);
    }

    public IssueRequest validity(Instant from, Instant to) {
        return new IssueRequest(email, commonName, keyType, from, to, keyUsage, extendedKeyUsage);
    }

    public IssueRequest keyUsage(int bits) {
        return new IssueRequest(email, commonName, keyType, notBefore, notAfter, bits, extendedKeyUsage);
    }

    public IssueRequest extendedKeyUsage(List<KeyPurposeId> purposes) {
        return new IssueRequest(email, commonName, keyType, notBefore, notAfter, keyUsage, purposes);
    }

    public IssueRequest commonName(String cn) {
        return new IssueRequest(email, cn, keyType, notBefore, notAfter, keyUsage, extendedKeyUsage);
    }
}
