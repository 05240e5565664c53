package org.sealgate.revocation;

import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * The one entry point for live revocation status, used by encryption-certificate selection, signature verification
 * and key discovery. Implementations are thread-safe and bounded in time (a dead responder costs at most the
 * configured timeout, then a back-off during which it is not asked again).
 */
public interface RevocationChecker {

    /**
     * The status of {@code certificate}; {@code issuerCandidates} are certificates among which its issuer is looked
     * up (trust anchors, intermediates, the key store). Without its issuer no answer can be verified: UNKNOWN.
     */
    RevocationStatus check(X509Certificate certificate, Collection<X509Certificate> issuerCandidates);

    /**
     * Re-fetches every cached CRL whose {@code nextUpdate} is near or past (for a scheduled job); returns how many
     * were fetched anew. Checks also refresh on use, so calling this is an optimisation, never required.
     */
    default int refreshDue() {
        return 0;
    }

    /** Never asks anyone: every status is UNKNOWN (nodes and tests without live revocation). */
    static RevocationChecker none() {
        return (certificate, issuers) -> RevocationStatus.unknown("live revocation checking is not configured");
    }
}
