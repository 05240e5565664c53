package org.sealgate.keys.discovery;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sealgate.crypto.CertificateCheck;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.AnchorScopes;
import org.sealgate.keys.CertificateAddresses;
import org.sealgate.keys.KeyImports;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.pgp.PgpKeys;

/**
 * Validates what a source answered exactly as an imported key would be, because no source is trusted by itself
 * (anyone may plant a key in a directory; a network observer may rewrite plain HTTP or LDAP answers):
 * the address in the certificate or user ID must equal the recipient (the one address rule), the key must be
 * usable for encryption now (not expired, not revoked, right key usage), and an S/MIME certificate must chain to a
 * trust anchor that may vouch for the recipient's domain. OpenPGP keys have no anchor: like keys harvested from
 * mail they are the address's claim, bound by their self-signatures; WKD served over HTTPS (a certificate
 * checked against the recipient's domain) is what vouches for them.
 */
public final class DiscoveredKeyValidator {
    private final List<ScopedAnchor> anchors;
    private final AnchorScopes scopes;
    private final List<X509CRL> crls;
    private final Predicate<String> managedDomain;
    private final Clock clock;
    private final SmimeCrypto smime = new SmimeCrypto();

    public DiscoveredKeyValidator(List<ScopedAnchor> anchors, Predicate<String> managedDomain, List<X509CRL> crls,
                                  Clock clock) {
        this.anchors = List.copyOf(anchors);
        this.scopes = new AnchorScopes(this.anchors, managedDomain);
        this.crls = List.copyOf(crls);
        this.managedDomain = managedDomain;
        this.clock = clock;
    }

    /**
     * The validated key, or why the candidate is refused; {@code unusable} is an OpenPGP key for the address refused
     * only because it is revoked or expired (a stored copy of it must learn that), else null.
     */
    public record Outcome(DiscoveredKey key, String reason, DiscoveredKey unusable) {
        static Outcome accepted(DiscoveredKey key) {
            return new Outcome(key, "", null);
        }

        static Outcome refused(String reason) {
            return new Outcome(null, reason, null);
        }

        public boolean accepted() {
            return key != null;
        }
    }

    public Outcome validate(DiscoveryCandidate candidate, String recipient) {
        String address = Addresses.normalise(recipient);
        if (managedDomain.test(Addresses.domainOf(address))) {
            // Our own users' keys come from the gateway; no outside source may speak for them.
            return Outcome.refused("managed domain " + Addresses.domainOf(address) + ": keys are never discovered");
        }
        return candidate.kind() == DiscoveredKey.Kind.SMIME
            ? validateSmime(candidate, address) : validateOpenPgp(candidate, address);
    }

    private Outcome validateSmime(DiscoveryCandidate candidate, String address) {
        List<X509Certificate> certificates;
        try {
            certificates = KeyImports.readCertificates(candidate.encoded());
        } catch (RuntimeException e) {
            return Outcome.refused("not a certificate: " + e.getMessage());
        }
        X509Certificate leaf = certificates.stream()
            .filter(certificate -> CertificateAddresses.matches(certificate, address)).findFirst().orElse(null);
        if (leaf == null) {
            return Outcome.refused("certificate is for " + certificates.stream()
                .flatMap(certificate -> CertificateAddresses.of(certificate).stream()).toList() + ", not " + address);
        }
        CertificateCheck check = smime.checkForEncryption(leaf, clock.instant(), crls);
        if (!check.usable()) {
            return Outcome.refused(check.reason() + ": " + check.detail());
        }
        String chain = chainProblem(leaf, certificates, address);
        if (!chain.isEmpty()) {
            return Outcome.refused(chain);
        }
        return Outcome.accepted(DiscoveredKey.smime(address, candidate.source(), clock.instant(), leaf));
    }

    /** Empty when the certificate chains to an anchor that may vouch for the address; else why not. */
    private String chainProblem(X509Certificate leaf, List<X509Certificate> pool, String address) {
        if (anchors.isEmpty()) {
            return "untrusted: no trust anchors are configured";
        }
        try {
            Set<TrustAnchor> trustAnchors = new HashSet<>();
            anchors.forEach(anchor -> trustAnchors.add(new TrustAnchor(anchor.certificate(), null)));
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(trustAnchors, target);
            // Revocation of the leaf was checked against the configured CRLs; a missing CRL must not fail the path.
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            parameters.addCertStore(CertStore.getInstance("Collection",
                new CollectionCertStoreParameters(new ArrayList<>(pool))));
            PKIXCertPathBuilderResult result =
                (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
            X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
            return scopes.mayVouch(anchor, address) ? "" : "untrusted: trust anchor "
                + anchor.getSubjectX500Principal().getName() + " may not vouch for " + Addresses.domainOf(address);
        } catch (CertPathBuilderException e) {
            return "untrusted: no valid certificate path to a trust anchor";
        } catch (GeneralSecurityException e) {
            return "untrusted: path validation could not run: " + e.getMessage();
        }
    }

    private Outcome validateOpenPgp(DiscoveryCandidate candidate, String address) {
        List<OpenPGPCertificate> certificates;
        try {
            certificates = PgpKeys.readAll(candidate.encoded());
        } catch (RuntimeException e) {
            return Outcome.refused("not an OpenPGP key: " + e.getMessage());
        }
        Date now = Date.from(clock.instant());
        List<String> refusals = new ArrayList<>();
        DiscoveredKey unusableKey = null;
        for (OpenPGPCertificate certificate : certificates) {
            List<String> addresses = PgpKeys.addresses(certificate, now);
            if (!addresses.contains(address)) {
                refusals.add("OpenPGP key " + PgpKeys.fingerprint(certificate) + " is for " + addresses + ", not "
                    + address);
                continue;
            }
            String unusable = PgpKeys.whyNotUsableForEncryption(certificate, now);
            if (!unusable.isEmpty()) {
                refusals.add("OpenPGP key " + PgpKeys.fingerprint(certificate) + ": " + unusable);
                if (unusableKey == null && (PgpKeys.isRevoked(certificate, now) || PgpKeys.isExpired(certificate, now))) {
                    unusableKey = DiscoveredKey.openPgp(address, candidate.source(), clock.instant(), certificate);
                }
                continue;
            }
            return Outcome.accepted(DiscoveredKey.openPgp(address, candidate.source(), clock.instant(), certificate));
        }
        return new Outcome(null, refusals.isEmpty() ? "no OpenPGP key in the answer" : String.join("; ", refusals),
            unusableKey);
    }
}
