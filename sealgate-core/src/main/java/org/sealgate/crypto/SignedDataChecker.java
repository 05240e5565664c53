package org.sealgate.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.Certificate;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.CMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.SignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The CMS half of verification: resolves signers, checks the signature math, then the signer certificate against
 * the policy (revocation, validity, key usage, path to a trust anchor), in that order of importance.
 */
final class SignedDataChecker {
    /** Digests from the JDK's default providers (SUN first), thread-safe and stateless. */
    private static final DigestCalculatorProvider JDK_DIGESTS = jdkDigests();
    /** Read-only tables once built (Bouncy Castle builds them in their constructors): shared by all threads. */
    private static final CMSSignatureAlgorithmNameGenerator SIGNATURE_NAMES = new DefaultCMSSignatureAlgorithmNameGenerator();
    private static final SignatureAlgorithmIdentifierFinder SIGNATURE_IDS = new DefaultSignatureAlgorithmIdentifierFinder();

    private SignedDataChecker() {
    }

    /** What the CMS check found; {@code certificate} is set once the signer was resolved. */
    record Outcome(SignatureStatus status, String detail, Optional<X509Certificate> certificate, boolean mathVerified,
                   List<String> vouched) {
        Outcome(SignatureStatus status, String detail, Optional<X509Certificate> certificate, boolean mathVerified) {
            this(status, detail, certificate, mathVerified,
                certificate.map(CertificateFacts::emailAddresses).orElse(List.of()));
        }

        static Outcome failure(SignatureStatus status, String detail) {
            return new Outcome(status, detail, Optional.empty(), false);
        }

        /**
         * The signer certificate, only when its anchor vouches for every address in it: a certificate that also
         * names an address outside its CA's scope is never kept, or it would be found (and encrypted to) by that
         * address.
         */
        List<X509Certificate> harvest() {
            return mathVerified && certificate.isPresent()
                && vouched.containsAll(CertificateFacts.emailAddresses(certificate.get())) ? List.of(certificate.get()) : List.of();
        }
    }

    /** Signature math only: MALFORMED, NO_SIGNER, CONFLICTING_SIGNERS, BAD_SIGNATURE or VALID. */
    static Outcome checkSignatures(CMSSignedData signed, VerificationPolicy policy) {
        return checkSignatures(signed, embeddedCertificates(signed), policy);
    }

    /** As above, with the certificates embedded in {@code signed} already converted (once per message). */
    static Outcome checkSignatures(CMSSignedData signed, List<X509Certificate> embedded, VerificationPolicy policy) {
        List<SignerInformation> signers = new ArrayList<>(signed.getSignerInfos().getSigners());
        if (signers.isEmpty()) {
            return Outcome.failure(SignatureStatus.NO_SIGNER, "the signature contains no SignerInfo");
        }
        List<X509Certificate> resolved = new ArrayList<>();
        for (SignerInformation signer : signers) {
            Optional<X509Certificate> certificate = resolve(signer.getSID(), embedded, policy.knownCertificates());
            if (certificate.isEmpty()) {
                return Outcome.failure(SignatureStatus.NO_SIGNER, "the certificate of signer " + describe(signer.getSID())
                        + " is neither in the message nor known");
            }
            resolved.add(certificate.get());
        }
        if (new HashSet<>(resolved).size() > 1) {
            return Outcome.failure(SignatureStatus.CONFLICTING_SIGNERS, resolved.size()
                    + " signatures by different certificates; Sealgate accepts exactly one signer");
        }
        X509Certificate certificate = resolved.get(0);
        for (SignerInformation signer : signers) {
            Optional<String> problem = mathProblem(signer, certificate);
            if (problem.isPresent()) {
                return new Outcome(SignatureStatus.BAD_SIGNATURE, problem.get(), Optional.of(certificate), false);
            }
        }
        return new Outcome(SignatureStatus.VALID, "signature verified", Optional.of(certificate), true);
    }

    private static Optional<String> mathProblem(SignerInformation signer, X509Certificate certificate) {
        try {
            // Built from the public key on purpose: with a certificate BC would also reject a signing time outside
            // the validity period, which we report separately as EXPIRED.
            // The content digest on the JDK's provider (SHA-NI/AVX2 intrinsics: the digest of a 100 KB mail was most
            // of a verification on Bouncy Castle's pure-Java SHA-256); the signature itself on Bouncy Castle's.
            // The verifier assembled as JcaSignerInfoVerifierBuilder does, from shared immutable parts: the builder
            // made a new algorithm-name table per message (~0.7 ms per mail in the inbound profile).
            boolean ok = signer.verify(new SignerInformationVerifier(SIGNATURE_NAMES, SIGNATURE_IDS,
                new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(certificate.getPublicKey()),
                JDK_DIGESTS));
            return ok ? Optional.empty() : Optional.of("the signature value does not verify with the signer's key");
        } catch (CMSSignerDigestMismatchException e) {
            return Optional.of("content digest mismatch: the content was changed after signing");
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            // RuntimeException: BC signals unsupported or garbled algorithm parameters unchecked.
            return Optional.of("the signature cannot be verified: " + e.getMessage());
        }
    }

    /** Certificate checks after the math verified: REVOKED, EXPIRED, WRONG_KEY_USAGE, UNTRUSTED, or VALID. */
    static Outcome checkSigner(CMSSignedData signed, List<X509Certificate> embedded, X509Certificate certificate,
                               VerificationPolicy policy, ValidatedPathCache paths) {
        List<X509Certificate> available = new ArrayList<>(embedded);
        available.addAll(policy.knownCertificates());
        List<X509Certificate> issuers = new ArrayList<>(available);
        issuers.addAll(policy.trustAnchors());
        Optional<X509CRL> crl = CertificateFacts.revokingCrl(certificate, policy.crls(), issuers);
        if (crl.isPresent()) {
            return verified(SignatureStatus.REVOKED, "the signer certificate is revoked by the CRL of "
                    + crl.get().getIssuerX500Principal().getName(), certificate);
        }
        if (!CertificateFacts.isValidAt(certificate, policy.time())) {
            return verified(SignatureStatus.EXPIRED, "the signer certificate is not valid at verification time "
                    + policy.time() + " (valid " + certificate.getNotBefore().toInstant() + " to "
                    + certificate.getNotAfter().toInstant() + ")", certificate);
        }
        Optional<Instant> signingTime = signingTime(signed);
        if (signingTime.isPresent() && !CertificateFacts.isValidAt(certificate, signingTime.get())) {
            return verified(SignatureStatus.EXPIRED, "the signer certificate was not valid at signing time "
                    + signingTime.get(), certificate);
        }
        if (!CertificateFacts.keyUsageAllowsSigning(certificate)) {
            return verified(SignatureStatus.WRONG_KEY_USAGE,
                    "the signer certificate's keyUsage has neither digitalSignature nor nonRepudiation", certificate);
        }
        if (!CertificateFacts.ekuAllowsEmail(certificate)) {
            return verified(SignatureStatus.WRONG_KEY_USAGE,
                    "the signer certificate's extendedKeyUsage lacks emailProtection", certificate);
        }
        return trustPath(certificate, available, policy, paths);
    }

    private static Outcome trustPath(X509Certificate certificate, List<X509Certificate> available,
                                     VerificationPolicy policy, ValidatedPathCache paths) {
        if (policy.trustAnchors().contains(certificate)) {
            return scoped(certificate, certificate, "the signer certificate is itself a trust anchor", policy);
        }
        if (policy.trustAnchors().isEmpty()) {
            return verified(SignatureStatus.UNTRUSTED, "no trust anchors are configured", certificate);
        }
        Optional<List<X509Certificate>> remembered = paths.lookup(certificate, policy.trustAnchors(), policy.time());
        if (remembered.isPresent()) {
            return checkedPath(certificate, remembered.get(), policy, paths, false);
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            policy.trustAnchors().forEach(anchor -> anchors.add(new TrustAnchor(anchor, null)));
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            // Revocation is checked below against the configured CRLs only: a missing CRL must not fail the path.
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(policy.time()));
            List<X509Certificate> pool = new ArrayList<>(available);
            pool.add(certificate);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
            List<X509Certificate> path = new ArrayList<>();
            for (Certificate element : result.getCertPath().getCertificates()) {
                path.add((X509Certificate) element);
            }
            path.add(result.getTrustAnchor().getTrustedCert());
            return checkedPath(certificate, path, policy, paths, true);
        } catch (CertPathBuilderException e) {
            return verified(SignatureStatus.UNTRUSTED, "no valid certificate path to a trust anchor: " + e.getMessage(),
                    certificate);
        } catch (GeneralSecurityException e) {
            return verified(SignatureStatus.UNTRUSTED, "path validation could not run: " + e.getMessage(), certificate);
        }
    }

    /**
     * The check a path gets on every use, fresh or remembered: no intermediate revoked by the current CRLs (the
     * signer itself was checked against them before). A fresh path that passes is remembered; a failing one never.
     */
    private static Outcome checkedPath(X509Certificate certificate, List<X509Certificate> path,
                                       VerificationPolicy policy, ValidatedPathCache paths, boolean fresh) {
        for (X509Certificate element : path.subList(1, path.size() - 1)) {
            Optional<X509CRL> crl = CertificateFacts.revokingCrl(element, policy.crls(), path);
            if (crl.isPresent()) {
                return verified(SignatureStatus.REVOKED, "an intermediate CA certificate ("
                        + element.getSubjectX500Principal().getName() + ") is revoked", certificate);
            }
        }
        if (fresh) {
            paths.remember(certificate, policy.trustAnchors(), path);
        }
        X509Certificate anchor = path.get(path.size() - 1);
        return scoped(certificate, anchor, "certificate path to trust anchor "
                + anchor.getSubjectX500Principal().getName(), policy);
    }

    /** VALID for the addresses the anchor may vouch for; UNTRUSTED when it may vouch for none of them. */
    private static Outcome scoped(X509Certificate certificate, X509Certificate anchor, String detail,
                                  VerificationPolicy policy) {
        List<String> addresses = CertificateFacts.emailAddresses(certificate);
        List<String> vouched = policy.anchorScopes().vouched(anchor, addresses);
        if (vouched.isEmpty()) {
            return new Outcome(SignatureStatus.UNTRUSTED, "trust anchor " + anchor.getSubjectX500Principal().getName()
                    + " may not vouch for " + addresses + " (outside its domains, or a managed domain)",
                    Optional.of(certificate), true, List.of());
        }
        return new Outcome(SignatureStatus.VALID, detail, Optional.of(certificate), true, vouched);
    }

    private static Outcome verified(SignatureStatus status, String detail, X509Certificate certificate) {
        return new Outcome(status, detail, Optional.of(certificate), true);
    }

    private static DigestCalculatorProvider jdkDigests() {
        try {
            return new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no JCA digest provider", e);
        }
    }

    /**
     * The certificates the signature carries, read by the JDK's X.509 factory: it parses the validity dates once
     * (Bouncy Castle's certificate parses them at every {@code getNotBefore}/{@code getNotAfter}, ~0.5 ms per mail
     * here) and keeps recent certificates by their encoding, so a partner's repeated certificate is not parsed again.
     * What the JDK refuses, Bouncy Castle may still read.
     */
    static List<X509Certificate> embeddedCertificates(CMSSignedData signed) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (X509CertificateHolder holder : signed.getCertificates().getMatches(null)) {
            try {
                certificates.add(jdkCertificate(holder));
            } catch (IOException | GeneralSecurityException e) {
                try {
                    certificates.add(new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER).getCertificate(holder));
                } catch (GeneralSecurityException unreadable) {
                    // An unparseable extra certificate cannot be the signer's; skip it.
                }
            }
        }
        return certificates;
    }

    private static X509Certificate jdkCertificate(X509CertificateHolder holder) throws IOException, GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509", "SUN")
            .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    }

    private static Optional<X509Certificate> resolve(SignerId id, List<X509Certificate> embedded,
                                                     List<X509Certificate> known) {
        List<X509Certificate> pool = new ArrayList<>(embedded);
        pool.addAll(known);
        for (X509Certificate certificate : pool) {
            try {
                if (id.match(new X509CertificateHolder(certificate.getEncoded()))) {
                    return Optional.of(certificate);
                }
            } catch (IOException | GeneralSecurityException e) {
                // not a candidate
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> signingTime(CMSSignedData signed) {
        for (SignerInformation signer : signed.getSignerInfos().getSigners()) {
            if (signer.getSignedAttributes() == null) {
                continue;
            }
            Attribute attribute = signer.getSignedAttributes().get(CMSAttributes.signingTime);
            if (attribute != null && attribute.getAttrValues().size() == 1) {
                return SigningTime.read(attribute.getAttrValues().getObjectAt(0));
            }
        }
        return Optional.empty();
    }

    private static String describe(SignerId id) {
        if (id.getIssuer() != null && id.getSerialNumber() != null) {
            return "issuer \"" + id.getIssuer() + "\" serial " + id.getSerialNumber().toString(16);
        }
        return "with subject key id " + (id.getSubjectKeyIdentifier() == null ? "?"
                : org.bouncycastle.util.encoders.Hex.toHexString(id.getSubjectKeyIdentifier()));
    }
}
