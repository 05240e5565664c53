package org.sealgate.revocation;

import java.security.cert.X509CRL;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/** Builds {@link RevocationChecker}s. */
public final class RevocationCheckers {
    private RevocationCheckers() {
    }

    /**
     * OCSP and CRL distribution points over the network, bounded by {@code settings}, plus the CRLs an admin
     * imported ({@code importedCrls}, read at each check so that imports apply at once).
     */
    public static RevocationChecker live(RevocationSettings settings, Supplier<List<X509CRL>> importedCrls, Clock clock) {
        return new LiveRevocationChecker(importedCrls, new OcspClient(settings, clock), new CrlCache(settings, clock), clock);
    }
}
