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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CRLs fetched from distribution points, one per URI, kept in memory on this node. A CRL is used only when its
 * issuer is the certificate's issuer and that issuer's key verifies it; it is used until {@code nextUpdate} and
 * fetched again shortly before; past {@code nextUpdate} (and no newer one to be had) it gives UNKNOWN, never GOOD.
 * A fetched CRL older than the cached one is refused (a replayed old CRL cannot un-revoke a certificate).
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

    public CrlCache(RevocationSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The status of the certificate by the CRL at {@code uri}, fetching it when missing or due. */
    RevocationStatus status(X509Certificate certificate, X509Certificate issuer, URI uri) {
        Instant now = clock.instant();
        Entry entry = entries.get(uri);
        if (entry == null || !entry.issuer().equals(issuer) || !now.isBefore(entry.refreshAt())) {
            String problem = fetch(uri, issuer, now);
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

    /** Fetches every cached CRL whose refresh time has come; returns how many were replaced. */
    public int refreshDue() {
        Instant now = clock.instant();
        int refreshed = 0;
        for (Map.Entry<URI, Entry> cached : entries.entrySet()) {
            Entry before = cached.getValue();
            if (now.isBefore(before.refreshAt())) {
                continue;
            }
            fetch(cached.getKey(), before.issuer(), now);
            if (entries.get(cached.getKey()) != before) {
                refreshed++;
            }
        }
        return refreshed;
    }

    /** How many CRLs this node holds (for health output and tests). */
    public int size() {
        return entries.size();
    }

    /** Fetches, verifies and caches; returns why not when it did not replace the entry. */
    private String fetch(URI uri, X509Certificate issuer, Instant now) {
        Instant backoff = failedUntil.get(uri);
        if (backoff != null && now.isBefore(backoff)) {
            return "not asked again before " + backoff + " after: " + lastFailure.getOrDefault(uri, "?");
        }
        String problem;
        try {
            X509CRL crl = parse(BoundedHttp.get(uri, settings.timeout(), settings.maxCrlBytes()));
            problem = accept(crl, issuer, uri, now);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problem = "fetch failed: " + e.getMessage();
        }
        if (problem.isEmpty()) {
            failedUntil.remove(uri);
            lastFailure.remove(uri);
            return "";
        }
        LOG.warn("CRL from {} refused: {}", uri, problem);
        failedUntil.put(uri, now.plus(settings.failureBackoff()));
        lastFailure.put(uri, problem);
        return problem;
    }

    private String accept(X509CRL crl, X509Certificate issuer, URI uri, Instant now) {
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
