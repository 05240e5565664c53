package org.sealgate.zk.keys;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.sealgate.keys.Addresses;
import org.sealgate.keys.CertificateAddresses;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.keys.ScopedAnchor;

/** One immutable view of the key store, with look-ups by address; rebuilt when ZooKeeper reports a change. */
final class KeyIndex {
    static final KeyIndex EMPTY = new KeyIndex(Map.of(), List.of(), List.of(), List.of());

    /** Partner certificates (imported and harvested, one per fingerprint), in path order. */
    private final Map<String, X509Certificate> certificates;
    private final List<ScopedAnchor> trustAnchors;
    private final List<X509CRL> crls;
    private final List<ManagedIdentity> identities;
    private final Map<String, List<X509Certificate>> certificatesByAddress = new HashMap<>();
    private final Map<String, List<ManagedIdentity>> identitiesByAddress = new HashMap<>();

    KeyIndex(Map<String, X509Certificate> certificatesByFingerprint, List<ScopedAnchor> trustAnchors,
             List<X509CRL> crls, List<ManagedIdentity> identities) {
        this.certificates = new LinkedHashMap<>(certificatesByFingerprint);
        this.trustAnchors = List.copyOf(trustAnchors);
        this.crls = List.copyOf(crls);
        this.identities = List.copyOf(identities);
        for (X509Certificate certificate : certificates.values()) {
            for (String address : CertificateAddresses.of(certificate)) {
                certificatesByAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(certificate);
            }
        }
        for (ManagedIdentity identity : this.identities) {
            for (String address : CertificateAddresses.of(identity.certificate())) {
                identitiesByAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(identity);
            }
        }
    }

    boolean hasCertificate(String fingerprint) {
        return certificates.containsKey(fingerprint);
    }

    List<X509Certificate> certificatesFor(String address) {
        return List.copyOf(certificatesByAddress.getOrDefault(Addresses.normalise(address), List.of()));
    }

    /** As the file directory does: of several keys for one address, the one whose certificate expires last. */
    Optional<ManagedIdentity> managedIdentity(String address) {
        return identitiesByAddress.getOrDefault(Addresses.normalise(address), List.of()).stream()
            .max(Comparator.comparing(identity -> identity.certificate().getNotAfter()));
    }

    Collection<X509Certificate> certificates() {
        return List.copyOf(certificates.values());
    }

    List<X509Certificate> trustAnchors() {
        return trustAnchors.stream().map(ScopedAnchor::certificate).toList();
    }

    List<ScopedAnchor> scopedTrustAnchors() {
        return trustAnchors;
    }

    List<X509CRL> crls() {
        return crls;
    }

    List<ManagedIdentity> identities() {
        return identities;
    }
}
