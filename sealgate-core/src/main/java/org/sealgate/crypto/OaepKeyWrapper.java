package org.sealgate.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.operator.AsymmetricKeyWrapper;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.OperatorException;

/**
 * RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 4055, {@link Encryptor#oaepSha256()}) wrapping a content key for one
 * recipient. Bouncy Castle's JCE wrapper looked the cipher up in the provider and decoded the parameters from their
 * DER form for every recipient of every mail, three times the cost of the RSA operation itself; this keeps one
 * cipher per thread and fixed parameters. Same provider, same output format.
 */
final class OaepKeyWrapper extends AsymmetricKeyWrapper {
    private static final OAEPParameterSpec SHA256 = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
        PSource.PSpecified.DEFAULT);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("RSA/NONE/OAEPPadding", BouncyCastle.PROVIDER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP is not available: " + e.getMessage(), e);
        }
    });

    private final PublicKey key;

    OaepKeyWrapper(PublicKey key) {
        super(Encryptor.oaepSha256());
        this.key = key;
    }

    @Override
    public byte[] generateWrappedKey(GenericKey contentKey) throws OperatorException {
        Object representation = contentKey.getRepresentation();
        Key jceKey = representation instanceof Key k ? k : new SecretKeySpec((byte[]) representation, "ENC");
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.WRAP_MODE, key, SHA256, RANDOM);
            return cipher.wrap(jceKey);
        } catch (GeneralSecurityException e) {
            throw new OperatorException("unable to wrap contents key: " + e.getMessage(), e);
        }
    }
}
