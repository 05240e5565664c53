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
        return live(settings, importedCrls, clock, SharedCrls.NONE, RevocationTransport.direct());
    }

    /**
     * As {@link #live(RevocationSettings, Supplier, Clock)} on a cluster node: CRLs shared with the other nodes
     * ({@code shared}), every CRL and OCSP exchange carried by {@code transport} (the node's Camel routes).
     */
    public static RevocationChecker live(RevocationSettings settings, Supplier<List<X509CRL>> importedCrls, Clock clock,
                                         SharedCrls shared, RevocationTransport transport) {
        return live(settings, importedCrls, clock, new CrlCache(settings, clock, shared, transport), transport);
    }

    /** With a CRL cache the caller keeps (to ask it {@link CrlCache#lastRefusal why} a CRL was refused). */
    public static RevocationChecker live(RevocationSettings settings, Supplier<List<X509CRL>> importedCrls, Clock clock,
                                         CrlCache crls, RevocationTransport transport) {
        return new LiveRevocationChecker(importedCrls, new OcspClient(settings, clock, transport), crls, clock);
    }
}
