package org.sealgate.testing;

import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.ManagedIdentity;

/** One shared test CA and a few users, created once per JVM because RSA key generation is slow. */
public final class TestPki {
    private static CertificateIssuer ca;
    private static IssuedIdentity aliceRsa;
    private static IssuedIdentity bobEc;
    private static IssuedIdentity carolX25519;
    private static IssuedIdentity daveEd25519;

    private TestPki() {
    }

    public static synchronized CertificateIssuer ca() {
        if (ca == null) {
            ca = CertificateIssuer.newCa("Sealgate Test CA", KeyType.EC_P256);
        }
        return ca;
    }

    /** alice@sealgate.test, RSA 2048, signing + key encipherment. */
    public static synchronized IssuedIdentity aliceRsa() {
        if (aliceRsa == null) {
            aliceRsa = ca().issue(IssueRequest.forEmail(TestMessages.FROM, KeyType.RSA_2048));
        }
        return aliceRsa;
    }

    /** bob@partner.test, EC P-256, signing + key agreement. */
    public static synchronized IssuedIdentity bobEc() {
        if (bobEc == null) {
            bobEc = ca().issue(IssueRequest.forEmail(TestMessages.TO, KeyType.EC_P256));
        }
        return bobEc;
    }

    /** carol@partner.test, X25519 (key agreement only). */
    public static synchronized IssuedIdentity carolX25519() {
        if (carolX25519 == null) {
            carolX25519 = ca().issue(IssueRequest.forEmail("carol@partner.test", KeyType.X25519));
        }
        return carolX25519;
    }

    /** dave@sealgate.test, Ed25519 (signing only). */
    public static synchronized IssuedIdentity daveEd25519() {
        if (daveEd25519 == null) {
            daveEd25519 = ca().issue(IssueRequest.forEmail("dave@sealgate.test", KeyType.ED25519));
        }
        return daveEd25519;
    }

    public static ManagedIdentity managed(IssuedIdentity identity) {
        return identity.toManagedIdentity();
    }
}
