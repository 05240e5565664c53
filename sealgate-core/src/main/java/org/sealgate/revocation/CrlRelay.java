package org.sealgate.revocation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the shared CRLs of URIs this node does not use itself current, for the nodes that do: the job leader may
 * never have seen a mail for a partner whose CRL another node fetched. Without the issuer certificate it cannot
 * verify a signature, so it only relays what the distribution point serves (same issuer name as the shared one,
 * current, not older); every node that adopts it verifies it in full ({@link CrlCache}). A planted entry can at most
 * make the relay skip a URI, and then each node fetches that CRL itself when its own comes due.
 */
final class CrlRelay {
    private static final Logger LOG = LoggerFactory.getLogger(CrlRelay.class);

    private final RevocationSettings settings;
    private final Clock clock;
    private final SharedCrls shared;
    private final RevocationTransport transport;
    /** When each shared CRL not used here is due, by its own (unverified) dates. */
    private final Map<URI, Instant> due = new ConcurrentHashMap<>();
    private final Map<URI, Instant> failedUntil = new ConcurrentHashMap<>();

    CrlRelay(RevocationSettings settings, Clock clock, SharedCrls shared, RevocationTransport transport) {
        this.settings = settings;
        this.clock = clock;
        this.shared = shared;
        this.transport = transport;
    }

    /** A shared CRL for a URI this node does not use arrived: remember when it comes due. */
    void noted(URI uri, byte[] der) {
        try {
            X509CRL crl = parse(der);
            due.put(uri, refreshAt(crl));
        } catch (GeneralSecurityException | RuntimeException e) {
            due.remove(uri); // garbage: nothing to keep current (the nodes using it fetch themselves)
        }
    }

    /** Fetches and shares every due CRL among those noted that is not in {@code held}; returns how many. */
    int refreshDue(Set<URI> held) {
        Instant now = clock.instant();
        int relayed = 0;
        for (Map.Entry<URI, Instant> noted : due.entrySet()) {
            URI uri = noted.getKey();
            if (held.contains(uri) || now.isBefore(noted.getValue())) {
                continue;
            }
            Instant backoff = failedUntil.get(uri);
            if (backoff != null && now.isBefore(backoff)) {
                continue;
            }
            String problem = relay(uri, now);
            if (problem.isEmpty()) {
                failedUntil.remove(uri);
                relayed++;
            } else {
                LOG.warn("CRL from {} not relayed to the cluster: {}", uri, problem);
                failedUntil.put(uri, now.plus(settings.failureBackoff()));
            }
        }
        return relayed;
    }

    private String relay(URI uri, Instant now) {
        Optional<byte[]> current = shared.latest(uri);
        if (current.isEmpty()) {
            due.remove(uri);
            return "no longer shared";
        }
        try {
            X509CRL before = parse(current.get());
            X509CRL fetched = parse(transport.get(uri, settings.timeout(), settings.maxCrlBytes()));
            if (!fetched.getIssuerX500Principal().equals(before.getIssuerX500Principal())) {
                return "the CRL is issued by " + fetched.getIssuerX500Principal().getName() + ", the shared one by "
                    + before.getIssuerX500Principal().getName();
            }
            if (fetched.getThisUpdate().before(before.getThisUpdate())) {
                return "the distribution point serves an older CRL than the shared one";
            }
            Instant freshUntil = freshUntil(fetched);
            if (!now.isBefore(freshUntil.plus(settings.clockSkew()))) {
                return "the CRL is stale: its nextUpdate " + freshUntil + " has passed";
            }
            if (fetched.getThisUpdate().equals(before.getThisUpdate())) {
                // Not reissued yet: ask again after the back-off, not at every tick of the job.
                due.put(uri, now.plus(settings.failureBackoff()));
                return "";
            }
            due.put(uri, refreshAt(fetched));
            shared.publish(uri, fetched.getEncoded(), current);
            return "";
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return "fetch failed: " + e.getMessage();
        }
    }

    private Instant freshUntil(X509CRL crl) {
        Instant thisUpdate = crl.getThisUpdate().toInstant();
        return crl.getNextUpdate() == null ? thisUpdate.plus(settings.crlMaxAge()) : crl.getNextUpdate().toInstant();
    }

    /** As {@link CrlCache}: a tenth of the validity before nextUpdate, at most an hour. */
    private Instant refreshAt(X509CRL crl) {
        Instant freshUntil = freshUntil(crl);
        Duration validity = Duration.between(crl.getThisUpdate().toInstant(), freshUntil);
        Duration ahead = validity.dividedBy(10).compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : validity.dividedBy(10);
        return freshUntil.minus(ahead);
    }

    private static X509CRL parse(byte[] data) throws GeneralSecurityException {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(data));
    }
}
