package org.sealgate.revocation;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** The revocation sources a certificate names (CRLDP, AIA OCSP), and its issuer among candidates. */
final class CertificateUris {
    /** A certificate naming more sources than this is asked only the first few: each costs a timeout. */
    static final int MAX_URIS = 3;

    private CertificateUris() {
    }

    static List<URI> crlDistributionPoints(X509Certificate certificate) {
        List<URI> uris = new ArrayList<>();
        try {
            byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
            if (value == null) {
                return uris;
            }
            CRLDistPoint points = CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
            for (DistributionPoint point : points.getDistributionPoints()) {
                // Only full names for the whole certificate: partitioned or reason-scoped CRLs are not supported.
                DistributionPointName name = point.getDistributionPoint();
                if (name == null || name.getType() != DistributionPointName.FULL_NAME || point.getReasons() != null
                        || point.getCRLIssuer() != null) {
                    continue;
                }
                addUris(GeneralNames.getInstance(name.getName()).getNames(), uris);
            }
        } catch (IOException | IllegalArgumentException e) {
            // A garbled extension names no usable source.
        }
        return limit(uris);
    }

    static List<URI> ocspResponders(X509Certificate certificate) {
        List<URI> uris = new ArrayList<>();
        try {
            byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
            if (value == null) {
                return uris;
            }
            AuthorityInformationAccess access = AuthorityInformationAccess.getInstance(
                JcaX509ExtensionUtils.parseExtensionValue(value));
            for (AccessDescription description : access.getAccessDescriptions()) {
                if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                    addUris(new GeneralName[] {description.getAccessLocation()}, uris);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // A garbled extension names no usable source.
        }
        return limit(uris);
    }

    private static void addUris(GeneralName[] names, List<URI> uris) {
        for (GeneralName name : names) {
            if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
                continue;
            }
            try {
                URI uri = new URI(ASN1IA5String.getInstance(name.getName()).getString());
                if (BoundedHttp.fetchable(uri)) {
                    uris.add(uri);
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // not a usable URI (LDAP URIs and garbage are skipped)
            }
        }
    }

    private static List<URI> limit(List<URI> uris) {
        return List.copyOf(uris.subList(0, Math.min(uris.size(), MAX_URIS)));
    }

    /** The candidate whose subject is the certificate's issuer and whose key verifies its signature. */
    static Optional<X509Certificate> issuerOf(X509Certificate certificate, Collection<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (!candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                continue;
            }
            if (VerifiedSignatures.SHARED.certificate(certificate, candidate)) {
                return Optional.of(candidate);
            }
            // Same name, other key (re-keyed CA): try the next one.
        }
        return Optional.empty();
    }
}
