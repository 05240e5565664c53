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
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeyStore;

/**
 * Picks the certificate to encrypt to for a recipient: among the usable ones (valid now, right key usage, not
 * revoked by a CRL in the store, not issued by a trust anchor scoped to other domains) the one that stays valid
 * longest. When none is usable it says why. Only when the directory has no usable certificate are discovered ones
 * ({@link DiscoveredKeyStore}) considered, checked again the same way (they never shadow an imported one).
 */
public class RecipientCertificates {
    private final KeyDirectory keys;
    private final SmimeCrypto crypto;
    private final Clock clock;
    private final DiscoveredKeyStore discovered;

    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto) {
        this(keys, crypto, Clock.systemUTC());
    }

    @Inject
    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto, DiscoveredKeyStore discovered) {
        this(keys, crypto, Clock.systemUTC(), discovered);
    }

    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto, Clock clock) {
        this(keys, crypto, clock, DiscoveredKeyStore.NONE);
    }

    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto, Clock clock, DiscoveredKeyStore discovered) {
        this.keys = keys;
        this.crypto = crypto;
        this.clock = clock;
        this.discovered = discovered;
    }

    /** A usable certificate, or the reason none is usable. */
    public record Selection(Optional<X509Certificate> certificate, String reason) {
        public boolean usable() {
            return certificate.isPresent();
        }
    }

    public Selection select(String address) {
        Selection own = select(address, keys.certificatesFor(address), "");
        if (own.usable()) {
            return own;
        }
        List<X509Certificate> found = discovered.keysFor(address).stream()
            .filter(key -> key.kind() == DiscoveredKey.Kind.SMIME).map(DiscoveredKey::certificate)
            // The store is keyed by address; the certificate itself must still name it.
            .filter(certificate -> org.sealgate.keys.CertificateAddresses.matches(certificate, address))
            .toList();
        if (found.isEmpty()) {
            return own;
        }
        Selection discoveredSelection = select(address, found, "discovered ");
        return discoveredSelection.usable() ? discoveredSelection
            : new Selection(Optional.empty(), own.reason() + "; " + discoveredSelection.reason());
    }

    private Selection select(String address, List<X509Certificate> candidates, String kind) {
        if (candidates.isEmpty()) {
            return new Selection(Optional.empty(), "no certificate known for " + address);
        }
        // A CA vouches only for the domains it is scoped to: a partner's CA cannot make us encrypt to a key for
        // another partner. (Outbound recipients are never in a managed domain, so unscoped anchors pass here.)
        AnchorScopes scopes = new AnchorScopes(keys.scopedTrustAnchors(), domain -> false);
        List<X509Certificate> vouched = candidates.stream()
            .filter(certificate -> scopes.issuingAnchor(certificate).map(anchor -> scopes.mayVouch(anchor.certificate(), address))
                // An imported certificate without a known issuer is the admin's word; a discovered one needs its CA.
                .orElse(kind.isEmpty()))
            .toList();
        if (vouched.isEmpty()) {
            return new Selection(Optional.empty(), kind + "certificate for " + address + " is not usable: its CA "
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
        return new Selection(Optional.empty(), kind + "certificate for " + address + " is not usable: " + first.reason() + " (" + first.detail() + ")"
            + (candidates.size() > 1 ? " (and " + (candidates.size() - 1) + " more unusable)" : ""));
    }
}
