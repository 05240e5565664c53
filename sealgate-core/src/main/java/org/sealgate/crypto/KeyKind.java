package org.sealgate.crypto;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The key families Sealgate knows, told apart by the SubjectPublicKeyInfo algorithm OID (not by the JCA name, which
 * differs between providers: "XDH" vs "X25519", and an id-RSAES-OAEP key may not even parse in the JDK).
 */
enum KeyKind {
    RSA, RSA_OAEP_ONLY, EC, X25519, X448, ED25519, ED448, UNSUPPORTED;

    static KeyKind of(X509Certificate certificate) {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
        ASN1ObjectIdentifier oid = info.getAlgorithm().getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            return RSA;
        }
        if (PKCSObjectIdentifiers.id_RSAES_OAEP.equals(oid)) {
            return RSA_OAEP_ONLY;
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            return isSupportedCurve(info) ? EC : UNSUPPORTED;
        }
        if (EdECObjectIdentifiers.id_X25519.equals(oid)) {
            return X25519;
        }
        if (EdECObjectIdentifiers.id_X448.equals(oid)) {
            return X448;
        }
        if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
            return ED25519;
        }
        if (EdECObjectIdentifiers.id_Ed448.equals(oid)) {
            return ED448;
        }
        return UNSUPPORTED;
    }

    /** Only the NIST curves every S/MIME client implements (RFC 5753 / RFC 8551). */
    private static boolean isSupportedCurve(SubjectPublicKeyInfo info) {
        if (info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve) {
            return X9ObjectIdentifiers.prime256v1.equals(curve)
                    || SECObjectIdentifiers.secp384r1.equals(curve)
                    || SECObjectIdentifiers.secp521r1.equals(curve);
        }
        return false;
    }

    boolean isRsa() {
        return this == RSA || this == RSA_OAEP_ONLY;
    }

    boolean canEncryptTo() {
        return this == RSA || this == RSA_OAEP_ONLY || this == EC || this == X25519 || this == X448;
    }

    boolean isKeyAgreement() {
        return this == EC || this == X25519 || this == X448;
    }
}
