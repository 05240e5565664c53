package org.sealgate.crypto;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.sealgate.keys.CertificateAddresses;

/** Questions asked about a certificate by both the encryption and the verification side. */
final class CertificateFacts {
    // java.security.cert.X509Certificate#getKeyUsage() bit positions (RFC 5280 §4.2.1.3).
    static final int DIGITAL_SIGNATURE = 0;
    static final int NON_REPUDIATION = 1;
    static final int KEY_ENCIPHERMENT = 2;
    static final int KEY_AGREEMENT = 4;

    private static final String EMAIL_PROTECTION = KeyPurposeId.id_kp_emailProtection.getId();
    private static final String ANY_EKU = KeyPurposeId.anyExtendedKeyUsage.getId();

    private CertificateFacts() {
    }

    /** The certificate's e-mail addresses, by the same rule the key directory uses (RFC 8550: SAN, else DN). */
    static List<String> emailAddresses(X509Certificate certificate) {
        return List.copyOf(CertificateAddresses.of(certificate));
    }

    static boolean isValidAt(X509Certificate certificate, Instant time) {
        Date date = Date.from(time);
        return !date.before(certificate.getNotBefore()) && !date.after(certificate.getNotAfter());
    }

    /** EKU absent, or containing emailProtection or anyExtendedKeyUsage (RFC 8550 §4.4.4). */
    static boolean ekuAllowsEmail(X509Certificate certificate) {
        try {
            List<String> ekus = certificate.getExtendedKeyUsage();
            return ekus == null || ekus.contains(EMAIL_PROTECTION) || ekus.contains(ANY_EKU);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    static boolean keyUsageAllowsSigning(X509Certificate certificate) {
        boolean[] usage = certificate.getKeyUsage();
        return usage == null || bit(usage, DIGITAL_SIGNATURE) || bit(usage, NON_REPUDIATION);
    }

    /** RSA needs keyEncipherment, key agreement keys need keyAgreement, when a keyUsage extension is present. */
    static boolean keyUsageAllowsEncryption(X509Certificate certificate, KeyKind kind) {
        boolean[] usage = certificate.getKeyUsage();
        if (usage == null) {
            return true;
        }
        return kind.isKeyAgreement() ? bit(usage, KEY_AGREEMENT) : bit(usage, KEY_ENCIPHERMENT);
    }

    private static boolean bit(boolean[] usage, int index) {
        return usage.length > index && usage[index];
    }

    /**
     * The CRL (from the given ones) issued by the certificate's issuer that lists it. CRLs come from the key store,
     * which is trusted input; their signature is still checked when the issuer certificate is at hand.
     */
    static Optional<X509CRL> revokingCrl(X509Certificate certificate, List<X509CRL> crls, Collection<X509Certificate> issuers) {
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal()) || !crl.isRevoked(certificate)) {
                continue;
            }
            if (crlSignatureAcceptable(crl, issuers)) {
                return Optional.of(crl);
            }
        }
        return Optional.empty();
    }

    private static boolean crlSignatureAcceptable(X509CRL crl, Collection<X509Certificate> issuers) {
        boolean issuerKnown = false;
        for (X509Certificate issuer : issuers) {
            if (!issuer.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                continue;
            }
            issuerKnown = true;
            try {
                crl.verify(issuer.getPublicKey());
                return true;
            } catch (java.security.GeneralSecurityException e) {
                // Try the next certificate with the same subject (re-keyed CA).
            }
        }
        return !issuerKnown;
    }
}
