package org.sealgate.revocation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CRLs fetched from distribution points, one per URI, kept in memory on this node. A CRL is used only when its
 * issuer is the certificate's issuer and that issuer's key verifies it; it is used until {@code nextUpdate} and
 * fetched again shortly before; past {@code nextUpdate} (and no newer one to be had) it gives UNKNOWN, never GOOD.
 * A fetched CRL older than the cached one is refused (a replayed old CRL cannot un-revoke a certificate).
 * <p>
 * In a cluster the CRLs are also {@link SharedCrls shared}: a CRL this node fetched is published, and one another
 * node published is adopted (when it arrives for a URI held here, or instead of a fetch when one is missing or due),
 * but only after exactly the checks a fetched one passes, and only when it is newer than the one held: whoever can
 * write the shared folder can at most withhold news, never forge or roll back a CRL.
 */
public final class CrlCache {
    private static final Logger LOG = LoggerFactory.getLogger(CrlCache.class);

    private record Entry(X509CRL crl, X509Certificate issuer, Instant freshUntil, Instant refreshAt) {
    }

    private final RevocationSettings settings;
    private final Clock clock;
    private final Map<URI, Entry> entries = new ConcurrentHashMap<>();
    private final Map<URI, Instant> failedUntil = new ConcurrentHashMap<>();
    private final Map<URI, String> lastFailure = new ConcurrentHashMap<>();
    private final Map<URI, String> lastRefusal = new ConcurrentHashMap<>();
    private final SharedCrls shared;
    private final RevocationTransport transport;
    private final CrlRelay relay;

    public CrlCache(RevocationSettings settings, Clock clock) {
        this(settings, clock, SharedCrls.NONE, RevocationTransport.direct());
    }

    /** With CRLs shared with other nodes, fetched through {@code transport}. */
    public CrlCache(RevocationSettings settings, Clock clock, SharedCrls shared, RevocationTransport transport) {
        this.settings = settings;
        this.clock = clock;
        this.shared = shared;
        this.transport = transport;
        this.relay = new CrlRelay(settings, clock, shared, transport);
        shared.listen(this::offered); // last: every field is set before the first offer can arrive
    }

    /** The status of the certificate by the CRL at {@code uri}, fetching it when missing or due. */
    RevocationStatus status(X509Certificate certificate, X509Certificate issuer, URI uri) {
        Instant now = clock.instant();
        Entry entry = entries.get(uri);
        if (entry == null || !entry.issuer().equals(issuer) || !now.isBefore(entry.refreshAt())) {
            String problem = obtain(uri, issuer, now);
            entry = entries.get(uri);
            if (entry == null || !entry.issuer().equals(issuer)) {
                return RevocationStatus.unknown("CRL from " + uri + " refused: " + problem);
            }
        }
        if (!now.isBefore(entry.freshUntil())) {
            return RevocationStatus.unknown("CRL from " + uri + " is stale (nextUpdate " + entry.freshUntil()
                + " passed) and no newer one could be fetched: " + lastFailure.getOrDefault(uri, "?"));
        }
        if (entry.crl().getRevokedCertificate(certificate.getSerialNumber()) != null) {
            return RevocationStatus.revoked("crl", "serial " + certificate.getSerialNumber().toString(16)
                + " is listed in the CRL from " + uri + " (revoked "
                + entry.crl().getRevokedCertificate(certificate.getSerialNumber()).getRevocationDate().toInstant() + ")");
        }
        return RevocationStatus.good("crl", "not listed in the CRL from " + uri + " (valid until " + entry.freshUntil() + ")");
    }

    /**
     * Fetches every cached CRL whose refresh time has come, and relays the due shared CRLs this node does not use
     * (see {@link CrlRelay}); returns how many were replaced or relayed.
     */
    public int refreshDue() {
        Instant now = clock.instant();
        int refreshed = 0;
        for (Map.Entry<URI, Entry> cached : entries.entrySet()) {
            Entry before = cached.getValue();
            if (now.isBefore(before.refreshAt())) {
                continue;
            }
            obtain(cached.getKey(), before.issuer(), now);
            if (entries.get(cached.getKey()) != before) {
                refreshed++;
            }
        }
        // The shared CRLs of partners this node never checked (on the job leader: those other nodes use).
        return refreshed + relay.refreshDue(entries.keySet());
    }

    /** How many CRLs this node holds (for health output and tests). */
    public int size() {
        return entries.size();
    }

    /** Why the last CRL fetched or shared for {@code uri} was refused; empty once one is taken (logs, tests). */
    public Optional<String> lastRefusal(URI uri) {
        return Optional.ofNullable(lastRefusal.get(uri));
    }

    /**
     * A CRL for {@code uri} where the held one is missing or due: the shared one when it is newer and passes the
     * checks (no fetch: another node fetched it), otherwise fetched from the distribution point (and then shared).
     */
    private String obtain(URI uri, X509Certificate issuer, Instant now) {
        Optional<byte[]> offered = shared.latest(uri);
        boolean refused = false;
        if (offered.isPresent()) {
            refused = !adopt(uri, issuer, offered.get(), now);
            Entry entry = entries.get(uri);
            if (entry != null && entry.issuer().equals(issuer) && now.isBefore(entry.refreshAt())) {
                return "";
            }
        }
        // A refused shared entry (forged, garbage) is replaced by what we fetch, whatever date it claims.
        return fetch(uri, issuer, now, refused);
    }

    /** A shared CRL arrived or changed: adopted at once for a URI this node uses; others wait for their first use. */
    private void offered(URI uri, byte[] der) {
        Entry held = entries.get(uri);
        if (held != null) {
            adopt(uri, held.issuer(), der, clock.instant());
        } else {
            relay.noted(uri, der);
        }
    }

    /**
     * Adopts a shared CRL after the checks of a fetched one; false (and the reason logged) when it is refused. The
     * one held already changes nothing.
     */
    private boolean adopt(URI uri, X509Certificate issuer, byte[] der, Instant now) {
        Entry held = entries.get(uri);
        String problem;
        try {
            if (held != null && held.issuer().equals(issuer) && Arrays.equals(held.crl().getEncoded(), der)) {
                return true; // the one we hold (often our own publication coming back)
            }
            problem = accept(parse(der), issuer, uri, now);
        } catch (GeneralSecurityException | RuntimeException e) {
            problem = "not a CRL: " + e.getMessage();
        }
        if (problem.isEmpty()) {
            lastRefusal.remove(uri);
            LOG.info("CRL for {} adopted from the cluster (fetched by another node)", uri);
            return true;
        }
        lastRefusal.put(uri, "shared CRL refused: " + problem);
        LOG.warn("Shared CRL for {} refused: {}", uri, problem);
        return false;
    }

    /** Fetches, verifies and caches; returns why not when it did not replace the entry. */
    private String fetch(URI uri, X509Certificate issuer, Instant now, boolean replaceShared) {
        Instant backoff = failedUntil.get(uri);
        if (backoff != null && now.isBefore(backoff)) {
            return "not asked again before " + backoff + " after: " + lastFailure.getOrDefault(uri, "?");
        }
        String problem;
        try {
            X509CRL crl = parse(transport.get(uri, settings.timeout(), settings.maxCrlBytes()));
            problem = accept(crl, issuer, uri, now);
            if (problem.isEmpty()) {
                share(uri, crl, replaceShared);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problem = "fetch failed: " + e.getMessage();
        }
        if (problem.isEmpty()) {
            failedUntil.remove(uri);
            lastFailure.remove(uri);
            lastRefusal.remove(uri);
            return "";
        }
        LOG.warn("CRL from {} refused: {}", uri, problem);
        lastRefusal.put(uri, problem);
        failedUntil.put(uri, now.plus(settings.failureBackoff()));
        lastFailure.put(uri, problem);
        return problem;
    }

    /** Publishes a CRL this node fetched unless the shared one is the same or newer (no needless writes). */
    private void share(URI uri, X509CRL crl, boolean replaceShared) throws GeneralSecurityException {
        Optional<byte[]> current = shared.latest(uri);
        if (current.isPresent() && !replaceShared) {
            try {
                if (!parse(current.get()).getThisUpdate().before(crl.getThisUpdate())) {
                    return;
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                // garbage in the shared copy: ours replaces it
            }
        }
        shared.publish(uri, crl.getEncoded(), current);
    }

    // Synchronized: a shared CRL (watcher thread) and a fetched one (mail or job thread) for the same URI must not
    // both pass the replay check against the same held entry, or the older could be put last.
    private synchronized String accept(X509CRL crl, X509Certificate issuer, URI uri, Instant now) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return "the CRL is issued by " + crl.getIssuerX500Principal().getName() + ", not by the certificate's issuer "
                + issuer.getSubjectX500Principal().getName();
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return "the CRL's signature does not verify with the key of its issuer "
                + issuer.getSubjectX500Principal().getName() + " (signed by another CA?)";
        }
        if (crl.hasUnsupportedCriticalExtension()) {
            return "the CRL has critical extensions Sealgate does not support (delta or indirect CRL)";
        }
        Instant thisUpdate = crl.getThisUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(settings.clockSkew()))) {
            return "the CRL's thisUpdate " + thisUpdate + " is in the future";
        }
        Instant freshUntil = crl.getNextUpdate() == null ? thisUpdate.plus(settings.crlMaxAge())
            : crl.getNextUpdate().toInstant();
        if (!now.isBefore(freshUntil.plus(settings.clockSkew()))) {
            return "the CRL is stale: its nextUpdate " + freshUntil + " has passed";
        }
        Entry current = entries.get(uri);
        if (current != null && current.issuer().equals(issuer)
                && thisUpdate.isBefore(current.crl().getThisUpdate().toInstant())) {
            return "the CRL (thisUpdate " + thisUpdate + ") is older than the one held (thisUpdate "
                + current.crl().getThisUpdate().toInstant() + "): a replay";
        }
        // Refresh a tenth of the validity period before nextUpdate, at most an hour before.
        Duration validity = Duration.between(thisUpdate, freshUntil);
        Duration ahead = validity.dividedBy(10).compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : validity.dividedBy(10);
        entries.put(uri, new Entry(crl, issuer, freshUntil, freshUntil.minus(ahead)));
        return "";
    }

    private static X509CRL parse(byte[] data) throws GeneralSecurityException {
        // RFC 5280 says DER; the JDK parser also reads the PEM some servers publish.
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(data));
    }
}
