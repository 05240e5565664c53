package org.sealgate.keys;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which addresses each trust anchor may vouch for. A scoped anchor vouches only for addresses in its domains. An
 * unscoped anchor (every anchor imported before scopes existed, or without {@code --domains}) vouches for any
 * domain except the gateway's managed domains: only an anchor explicitly scoped to a managed domain (the
 * gateway's own CA) vouches for it, so no partner's CA can speak for our users.
 */
public final class AnchorScopes {
    private final Map<String, ScopedAnchor> byFingerprint = new HashMap<>();
    private final Predicate<String> managedDomain;
    private final boolean unrestricted;

    public AnchorScopes(Collection<ScopedAnchor> anchors, Predicate<String> managedDomain) {
        this(anchors, managedDomain, false);
    }

    private AnchorScopes(Collection<ScopedAnchor> anchors, Predicate<String> managedDomain, boolean unrestricted) {
        anchors.forEach(anchor -> byFingerprint.put(Fingerprints.sha256(anchor.certificate()), anchor));
        this.managedDomain = managedDomain;
        this.unrestricted = unrestricted;
    }

    /** Every anchor vouches for every address: for code paths without a key store (tests of the CMS layer). */
    public static AnchorScopes unrestricted() {
        return new AnchorScopes(List.of(), domain -> false, true);
    }

    /** The anchor as stored (with its scope); empty when the certificate is not an anchor here. */
    public Optional<ScopedAnchor> anchor(X509Certificate certificate) {
        return Optional.ofNullable(byFingerprint.get(Fingerprints.sha256(certificate)));
    }

    public boolean mayVouch(X509Certificate anchor, String address) {
        if (unrestricted) {
            return true;
        }
        String domain = Addresses.domainOf(address);
        ScopedAnchor scoped = anchor(anchor).orElse(ScopedAnchor.unscoped(anchor));
        return scoped.scoped() ? scoped.covers(domain) : !managedDomain.test(domain);
    }

    /**
     * The anchor that directly issued the certificate (issuer name and signature checked), if one did. Deeper
     * chains are checked when the certificate is harvested ({@code SignedDataChecker}); this is the check that still
     * holds for certificates stored before their CA was scoped.
     */
    public Optional<ScopedAnchor> issuingAnchor(X509Certificate certificate) {
        for (ScopedAnchor anchor : byFingerprint.values()) {
            X509Certificate issuer = anchor.certificate();
            if (issuer.getSubjectX500Principal().equals(certificate.getIssuerX500Principal()) && !issuer.equals(certificate)) {
                try {
                    certificate.verify(issuer.getPublicKey());
                    return Optional.of(anchor);
                } catch (GeneralSecurityException | RuntimeException e) {
                    // Same name, other key: not this anchor.
                }
            }
        }
        return Optional.empty();
    }

    /** The addresses, in order, that the anchor may vouch for. */
    public List<String> vouched(X509Certificate anchor, Collection<String> addresses) {
        List<String> vouched = new ArrayList<>();
        for (String address : addresses) {
            if (mayVouch(anchor, address)) {
                vouched.add(Addresses.normalise(address));
            }
        }
        return vouched;
    }
}
