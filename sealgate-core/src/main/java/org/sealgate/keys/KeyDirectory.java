package org.sealgate.keys;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Sealgate's key store: certificates of external partners by e-mail address, managed users' private keys, trust
 * anchors and CRLs. Implementations are thread-safe and see changes made by other processes (the CLI writes while
 * a node runs). Nothing here assumes files: the cluster implementation lives in ZooKeeper.
 */
public interface KeyDirectory {

    /** Every certificate whose subjectAltName rfc822Name (or e-mail DN attribute) matches, case-insensitively. */
    List<X509Certificate> certificatesFor(String address);

    /** Every partner certificate, for listing. */
    List<X509Certificate> certificates();

    /** The managed user's key pair, if this gateway holds one for the address. */
    Optional<ManagedIdentity> managedIdentity(String address);

    List<ManagedIdentity> managedIdentities();

    List<X509Certificate> trustAnchors();

    /** The trust anchors with the domains each may vouch for ({@link AnchorScopes} says what an empty scope means). */
    List<ScopedAnchor> scopedTrustAnchors();

    List<X509CRL> crls();

    /** Adds (or keeps) a partner certificate; used by import and by harvesting from verified signatures. */
    void addCertificate(X509Certificate certificate);

    /** Adds an unscoped anchor, or keeps an existing one as it is (with its scope). */
    void addTrustAnchor(X509Certificate certificate);

    /** Adds the anchor, or changes its scope; {@code domains} as {@link ScopedAnchor#parseDomains} reads them. */
    void addTrustAnchor(ScopedAnchor anchor);

    void addCrl(X509CRL crl);

    void addManagedIdentity(ManagedIdentity identity);

    /** Removes every certificate and managed key of the address; returns how many entries went. */
    int remove(String address);
}
