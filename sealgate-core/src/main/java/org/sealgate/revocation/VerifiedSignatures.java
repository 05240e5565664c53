package org.sealgate.revocation;

import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which certificates and CRLs were seen to verify under which issuer certificate. A signature that verified once
 * always does (certificate, CRL and issuer are compared by their whole DER encoding), and the live revocation check
 * asks the same question for every mail of a signer: two or three RSA verifications per mail before this. Only
 * successes are kept, a bounded number, the least recently used dropped first.
 */
final class VerifiedSignatures {
    /** One for the process: what it holds is true for every caller. */
    static final VerifiedSignatures SHARED = new VerifiedSignatures(512);

    private record Pair(Object signed, X509Certificate issuer) {
    }

    private final Map<Pair, Boolean> verified;

    VerifiedSignatures(int maxEntries) {
        verified = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Pair, Boolean> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** True when {@code certificate} carries a good signature by {@code issuer}'s key. */
    boolean certificate(X509Certificate certificate, X509Certificate issuer) {
        Pair pair = new Pair(certificate, issuer);
        if (known(pair)) {
            return true;
        }
        try {
            certificate.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
        remember(pair);
        return true;
    }

    /** True when {@code crl} carries a good signature by {@code issuer}'s key. */
    boolean crl(X509CRL crl, X509Certificate issuer) {
        Pair pair = new Pair(crl, issuer);
        if (known(pair)) {
            return true;
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
        remember(pair);
        return true;
    }

    synchronized int size() {
        return verified.size();
    }

    private synchronized boolean known(Pair pair) {
        return verified.get(pair) != null;
    }

    private synchronized void remember(Pair pair) {
        verified.put(pair, Boolean.TRUE);
    }
}
