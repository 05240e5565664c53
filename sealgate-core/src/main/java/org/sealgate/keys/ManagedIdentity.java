package org.sealgate.keys;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A managed user's key pair: the private key and its certificate chain (end-entity certificate first).
 */
public record ManagedIdentity(String address, PrivateKey privateKey, List<X509Certificate> chain) {

    public ManagedIdentity {
        address = Addresses.normalise(address);
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a managed identity needs its certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        // Never print the private key.
        return "ManagedIdentity[" + address + ", " + Fingerprints.sha256(certificate()) + "]";
    }
}
