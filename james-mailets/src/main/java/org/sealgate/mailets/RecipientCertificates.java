package org.sealgate.mailets;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.sealgate.crypto.CertificateCheck;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.AnchorScopes;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.ScopedAnchor;

/**
 * Picks the certificate to encrypt to for a recipient: among the usable ones (valid now, right key usage, not
 * revoked by a CRL in the store, not issued by a trust anchor scoped to other domains) the one that stays valid
 * longest. When none is usable it says why.
 */
public class RecipientCertificates {
    private final KeyDirectory keys;
    private final SmimeCrypto crypto;
    private final Clock clock;

    @Inject
    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto) {
        this(keys, crypto, Clock.systemUTC());
    }

    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto, Clock clock) {
        this.keys = keys;
        this.crypto = crypto;
        this.clock = clock;
    }

    /** A usable certificate, or the reason none is usable. */
    public record Selection(Optional<X509Certificate> certificate, String reason) {
        public boolean usable() {
            return certificate.isPresent();
        }
    }

    public Selection select(String address) {
        List<X509Certificate> candidates = keys.certificatesFor(address);
        if (candidates.isEmpty()) {
            return new Selection(Optional.empty(), "no certificate known for " + address);
        }
        // A CA vouches only for the domains it is scoped to: a partner's CA cannot make us encrypt to a key for
        // another partner. (Outbound recipients are never in a managed domain, so unscoped anchors pass here.)
        AnchorScopes scopes = new AnchorScopes(keys.scopedTrustAnchors(), domain -> false);
        List<X509Certificate> vouched = candidates.stream()
            .filter(certificate -> scopes.issuingAnchor(certificate).map(anchor -> scopes.mayVouch(anchor.certificate(), address)).orElse(true))
            .toList();
        if (vouched.isEmpty()) {
            return new Selection(Optional.empty(), "certificate for " + address + " is not usable: its CA "
                + scopes.issuingAnchor(candidates.get(0)).map(ScopedAnchor::toString).orElse("?")
                + " may not vouch for " + Addresses.domainOf(address));
        }
        candidates = vouched;
        List<X509CRL> crls = keys.crls();
        Optional<X509Certificate> best = candidates.stream()
            .filter(certificate -> crypto.checkForEncryption(certificate, clock.instant(), crls).usable())
            .max(Comparator.comparing(X509Certificate::getNotAfter));
        if (best.isPresent()) {
            return new Selection(best, "");
        }
        CertificateCheck first = crypto.checkForEncryption(candidates.get(0), clock.instant(), crls);
        return new Selection(Optional.empty(), "certificate for " + address + " is not usable: " + first.reason() + " (" + first.detail() + ")"
            + (candidates.size() > 1 ? " (and " + (candidates.size() - 1) + " more unusable)" : ""));
    }
}
