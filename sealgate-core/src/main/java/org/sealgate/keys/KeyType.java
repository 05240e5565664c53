package org.sealgate.keys;

/** Key types {@link CertificateIssuer} can create. */
public enum KeyType {
    RSA_2048("RSA", 2048),
    RSA_3072("RSA", 3072),
    EC_P256("EC", 256),
    EC_P384("EC", 384),
    /** Key agreement only: certificates for it are signed by the CA's key, X25519 cannot sign. */
    X25519("X25519", 0),
    ED25519("Ed25519", 0);

    private final String algorithm;
    private final int size;

    KeyType(String algorithm, int size) {
        this.algorithm = algorithm;
        this.size = size;
    }

    String algorithm() {
        return algorithm;
    }

    int size() {
        return size;
    }

    public boolean canSign() {
        return this != X25519;
    }

    public boolean isKeyAgreement() {
        return this == EC_P256 || this == EC_P384 || this == X25519;
    }
}
