package org.sealgate.revocation;

import java.net.URI;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Asks, in order: CRLs an admin imported (verified by the issuer), the OCSP responders the certificate names, then
 * its CRL distribution points; the first definite answer wins, a revocation in an imported CRL always does. Then
 * the same for each CA above it up to the anchor (the first CA whose issuer is not among the candidates, or a root):
 * a revoked intermediate revokes the certificate, one whose status cannot be learned makes it unknown.
 */
final class LiveRevocationChecker implements RevocationChecker {
    private static final String NO_SOURCE = "the certificate names no OCSP responder or http(s) CRL distribution point";
    /** CAs checked above a certificate at most (a longer path is checked up to here). */
    private static final int MAX_INTERMEDIATES = 4;
    private final Supplier<List<X509CRL>> importedCrls;
    private final OcspClient ocsp;
    private final CrlCache crls;
    private final Clock clock;

    LiveRevocationChecker(Supplier<List<X509CRL>> importedCrls, OcspClient ocsp, CrlCache crls, Clock clock) {
        this.importedCrls = importedCrls;
        this.ocsp = ocsp;
        this.crls = crls;
        this.clock = clock;
    }

    @Override
    public RevocationStatus check(X509Certificate certificate, Collection<X509Certificate> issuerCandidates) {
        RevocationStatus own = checkOne(certificate, issuerCandidates);
        if (own.isRevoked()) {
            return own;
        }
        // The CAs between it and the anchor: an intermediate revoked by its issuer takes all it issued with it.
        RevocationStatus path = own;
        X509Certificate current = certificate;
        for (int depth = 0; depth < MAX_INTERMEDIATES; depth++) {
            Optional<X509Certificate> issuer = CertificateUris.issuerOf(current, issuerCandidates);
            if (issuer.isEmpty() || selfIssued(issuer.get())
                    || CertificateUris.issuerOf(issuer.get(), issuerCandidates).isEmpty()) {
                break; // the anchor (a root, or a CA trusted as such whose own issuer is not at hand): not asked
            }
            X509Certificate ca = issuer.get();
            RevocationStatus status = checkOne(ca, issuerCandidates);
            String name = ca.getSubjectX500Principal().getName();
            if (status.isRevoked()) {
                return RevocationStatus.revoked(status.source(), "its issuing CA " + name + " is revoked: " + status.detail());
            }
            // A CA that publishes nothing leaves the certificate's own answer standing; one that cannot be asked now
            // makes the whole answer unknown (the domain's revocation setting decides).
            if (status.isUnknown() && !path.isUnknown()) {
                path = RevocationStatus.unknown(own.detail() + "; its issuing CA " + name + ": " + status.detail());
            }
            current = ca;
        }
        return path;
    }

    private static boolean selfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    /** The certificate's own status, by its issuer's CRLs and responders. */
    private RevocationStatus checkOne(X509Certificate certificate, Collection<X509Certificate> issuerCandidates) {
        Optional<X509Certificate> found = CertificateUris.issuerOf(certificate, issuerCandidates);
        List<URI> ocspUris = CertificateUris.ocspResponders(certificate);
        List<URI> crlUris = CertificateUris.crlDistributionPoints(certificate);
        if (found.isEmpty() && ocspUris.isEmpty() && crlUris.isEmpty()) {
            return RevocationStatus.notPublished(NO_SOURCE);
        }
        if (found.isEmpty()) {
            return RevocationStatus.unknown("the issuer certificate of " + certificate.getSubjectX500Principal().getName()
                + " is not at hand, so no revocation answer can be verified");
        }
        X509Certificate issuer = found.get();
        Optional<RevocationStatus> imported = imported(certificate, issuer);
        if (imported.isPresent() && imported.get().isRevoked()) {
            return imported.get();
        }
        List<String> reasons = new ArrayList<>();
        for (URI uri : ocspUris) {
            RevocationStatus status = ocsp.status(certificate, issuer, uri);
            if (status.definite()) {
                return status;
            }
            reasons.add(status.detail());
        }
        for (URI uri : crlUris) {
            RevocationStatus status = crls.status(certificate, issuer, uri);
            if (status.definite()) {
                return status;
            }
            reasons.add(status.detail());
        }
        if (imported.isPresent()) {
            return imported.get();
        }
        if (reasons.isEmpty()) {
            return RevocationStatus.notPublished(NO_SOURCE);
        }
        return RevocationStatus.unknown(String.join("; ", reasons));
    }

    /** An imported CRL of this issuer that verifies: REVOKED if it lists the certificate, GOOD while current. */
    private Optional<RevocationStatus> imported(X509Certificate certificate, X509Certificate issuer) {
        Instant now = clock.instant();
        RevocationStatus good = null;
        for (X509CRL crl : importedCrls.get()) {
            if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                continue;
            }
            if (!VerifiedSignatures.SHARED.crl(crl, issuer)) {
                continue;
            }
            if (crl.getRevokedCertificate(certificate.getSerialNumber()) != null) {
                return Optional.of(RevocationStatus.revoked("imported-crl", "serial "
                    + certificate.getSerialNumber().toString(16) + " is listed in an imported CRL of "
                    + issuer.getSubjectX500Principal().getName()));
            }
            if (crl.getNextUpdate() != null && now.isBefore(crl.getNextUpdate().toInstant())) {
                good = RevocationStatus.good("imported-crl", "not listed in the current imported CRL of "
                    + issuer.getSubjectX500Principal().getName());
            }
        }
        return Optional.ofNullable(good);
    }

    @Override
    public int refreshDue() {
        return crls.refreshDue();
    }
}
