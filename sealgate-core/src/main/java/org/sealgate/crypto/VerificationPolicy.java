package org.sealgate.crypto;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.sealgate.keys.AnchorScopes;

/**
 * What a signature is checked against.
 *
 * @param trustAnchors       certificates trusted without a path (CA roots, or pinned end-entity certificates)
 * @param crls               the only revocation source; an issuer without a CRL here is not treated as revoked
 * @param knownCertificates  certificates used to resolve signers whose certificate is not embedded, and as
 *                           intermediates for path building
 * @param time               the verification time
 * @param anchorScopes       which addresses each anchor may vouch for; a signer is VALID only for those
 */
public record VerificationPolicy(List<X509Certificate> trustAnchors,
                                 List<X509CRL> crls,
                                 List<X509Certificate> knownCertificates,
                                 Instant time,
                                 AnchorScopes anchorScopes) {

    public VerificationPolicy {
        trustAnchors = trustAnchors == null ? List.of() : List.copyOf(trustAnchors);
        crls = crls == null ? List.of() : List.copyOf(crls);
        knownCertificates = knownCertificates == null ? List.of() : List.copyOf(knownCertificates);
        time = time == null ? Instant.now() : time;
        anchorScopes = anchorScopes == null ? AnchorScopes.unrestricted() : anchorScopes;
    }

    /** Every anchor may vouch for every address (no key store behind it). */
    public VerificationPolicy(List<X509Certificate> trustAnchors, List<X509CRL> crls,
                              List<X509Certificate> knownCertificates, Instant time) {
        this(trustAnchors, crls, knownCertificates, time, AnchorScopes.unrestricted());
    }

    /** Trust anchors only, no CRLs, no extra certificates, verification time now. */
    public static VerificationPolicy trusting(List<X509Certificate> trustAnchors) {
        return new VerificationPolicy(trustAnchors, List.of(), List.of(), Instant.now());
    }

    public VerificationPolicy withCrls(List<X509CRL> newCrls) {
        return new VerificationPolicy(trustAnchors, newCrls, knownCertificates, time, anchorScopes);
    }

    public VerificationPolicy withKnownCertificates(List<X509Certificate> certificates) {
        return new VerificationPolicy(trustAnchors, crls, certificates, time, anchorScopes);
    }

    public VerificationPolicy at(Instant verificationTime) {
        return new VerificationPolicy(trustAnchors, crls, knownCertificates, verificationTime, anchorScopes);
    }
}
