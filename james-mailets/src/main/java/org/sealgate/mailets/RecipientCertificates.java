package org.sealgate.mailets;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
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
import org.sealgate.policy.PolicyProvider;
import org.sealgate.policy.RevocationMode;
import org.sealgate.revocation.RevocationChecker;
import org.sealgate.revocation.RevocationStatus;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeyStore;

/**
 * Picks the certificate to encrypt to for a recipient: among the usable ones (valid now, right key usage, not
 * revoked by a CRL in the store, not issued by a trust anchor scoped to other domains) the one that stays valid
 * longest. When none is usable it says why. With a {@link RevocationChecker}, the candidates' live status (OCSP, CRL
 * distribution points) is asked as the recipient's {@code revocation} setting says: a revoked certificate is never
 * chosen; one whose status is unknown is refused under {@code require} and chosen, with a note, under
 * {@code prefer} (only when no candidate is known good).
 * Only when the directory has no usable certificate are discovered ones ({@link DiscoveredKeyStore})
 * considered, checked again the same way, live revocation included (they never shadow an imported one).
 */
public class RecipientCertificates {
    private final KeyDirectory keys;
    private final SmimeCrypto crypto;
    private final Clock clock;
    private final PolicyProvider policy;
    private final Optional<RevocationChecker> revocation;
    private final DiscoveredKeyStore discovered;

    @Inject
    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto, PolicyProvider policy, RevocationChecker revocation,
                                 DiscoveredKeyStore discovered) {
        this(keys, crypto, Clock.systemUTC(), policy, Optional.of(revocation), discovered);
    }

    /** Without live revocation: only CRLs in the store count. */
    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto) {
        this(keys, crypto, Clock.systemUTC());
    }

    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto, Clock clock) {
        this(keys, crypto, clock, PolicyProvider.builtIn(), Optional.empty(), DiscoveredKeyStore.NONE);
    }

    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto, Clock clock, PolicyProvider policy,
                                 Optional<RevocationChecker> revocation) {
        this(keys, crypto, clock, policy, revocation, DiscoveredKeyStore.NONE);
    }

    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto, Clock clock, DiscoveredKeyStore discovered) {
        this(keys, crypto, clock, PolicyProvider.builtIn(), Optional.empty(), discovered);
    }

    public RecipientCertificates(KeyDirectory keys, SmimeCrypto crypto, Clock clock, PolicyProvider policy,
                                 Optional<RevocationChecker> revocation, DiscoveredKeyStore discovered) {
        this.keys = keys;
        this.crypto = crypto;
        this.clock = clock;
        this.policy = policy;
        this.revocation = revocation;
        this.discovered = discovered;
    }

    /**
     * A usable certificate, or the reason none is usable; {@code note} is set when the certificate is used although
     * its revocation status is unknown ({@code revocation: prefer}), for the audit trail.
     */
    public record Selection(Optional<X509Certificate> certificate, String reason, String note) {
        public Selection(Optional<X509Certificate> certificate, String reason) {
            this(certificate, reason, "");
        }

        public boolean usable() {
            return certificate.isPresent();
        }
    }

    public Selection select(String address) {
        Selection own = select(address, keys.certificatesFor(address), "");
        if (own.usable()) {
            return own;
        }
        List<X509Certificate> stored = discovered.keysFor(address).stream()
            .filter(key -> key.kind() == DiscoveredKey.Kind.SMIME).map(DiscoveredKey::certificate).toList();
        List<X509Certificate> found = stored.stream()
            // The store is keyed by address (a shared store anyone with the node identity writes to); the
            // certificate itself must still name it.
            .filter(certificate -> org.sealgate.keys.CertificateAddresses.matches(certificate, address))
            .toList();
        if (found.isEmpty()) {
            return stored.isEmpty() ? own : new Selection(Optional.empty(), own.reason() + "; discovered certificate "
                + org.sealgate.keys.Fingerprints.sha256(stored.get(0)) + " stored for " + address
                + " does not name it (ignored)");
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
        List<X509Certificate> usable = candidates.stream()
            .filter(certificate -> crypto.checkForEncryption(certificate, clock.instant(), crls).usable())
            .sorted(Comparator.comparing(X509Certificate::getNotAfter).reversed())
            .toList();
        if (!usable.isEmpty()) {
            return live(address, usable);
        }
        CertificateCheck first = crypto.checkForEncryption(candidates.get(0), clock.instant(), crls);
        return new Selection(Optional.empty(), kind + "certificate for " + address + " is not usable: " + first.reason() + " (" + first.detail() + ")"
            + (candidates.size() > 1 ? " (and " + (candidates.size() - 1) + " more unusable)" : ""));
    }

    /** The first candidate whose live status allows it (the longest valid first), or why none does. */
    private Selection live(String address, List<X509Certificate> usable) {
        RevocationMode mode = policy.settingsFor(address).revocation();
        if (revocation.isEmpty() || mode == RevocationMode.OFF) {
            return new Selection(Optional.of(usable.get(0)), "");
        }
        List<X509Certificate> issuers = new ArrayList<>(keys.trustAnchors());
        issuers.addAll(keys.certificates());
        Optional<X509Certificate> unknown = Optional.empty();
        String unknownDetail = "";
        String firstProblem = "";
        for (X509Certificate certificate : usable) {
            RevocationStatus status = revocation.get().check(certificate, issuers);
            if (status.isGood() || (status.isNotPublished() && mode == RevocationMode.PREFER)) {
                return new Selection(Optional.of(certificate), "");
            }
            if (firstProblem.isEmpty()) {
                firstProblem = status.isRevoked() ? CertificateCheck.REVOKED + " (" + status.detail() + ")"
                    : "revocation status unknown and the policy says revocation: require (" + status.detail() + ")";
            }
            if (status.isUnknown() && unknown.isEmpty()) {
                unknown = Optional.of(certificate);
                unknownDetail = status.detail();
            }
        }
        if (unknown.isPresent() && mode == RevocationMode.PREFER) {
            return new Selection(unknown, "", "revocation status of the certificate for " + address
                + " unknown, used as revocation: prefer allows (" + unknownDetail + ")");
        }
        return new Selection(Optional.empty(), "certificate for " + address + " is not usable: " + firstProblem
            + (usable.size() > 1 ? " (and " + (usable.size() - 1) + " more checked)" : ""));
    }
}
