package org.sealgate.crypto;

import java.security.Key;
import java.security.PrivateKey;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientOperator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipient;

/**
 * Unwraps a key-transport (RSA PKCS#1 v1.5 or OAEP) content-encryption key with Bouncy Castle, without decrypting
 * any content: the content goes to {@link JdkContentDecryptor}, and a second recipient's key can be compared with
 * the first's. For PKCS#1 v1.5 Bouncy Castle answers a bad padding with a random key (no padding oracle); that key
 * then fails the GCM tag or the comparison.
 */
final class KeyTransUnwrapper extends JceKeyTransRecipient {
    KeyTransUnwrapper(PrivateKey key) {
        super(key);
        setProvider(BouncyCastle.PROVIDER);
    }

    Key unwrap(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier contentEncryption, byte[] encryptedKey)
        throws CMSException {
        return extractSecretKey(keyEncryption, contentEncryption, encryptedKey);
    }

    /** Not used: content never goes through Bouncy Castle's operator here. */
    @Override
    public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryption, AlgorithmIdentifier contentEncryption,
                                                  byte[] encryptedKey) throws CMSException {
        throw new CMSException("KeyTransUnwrapper only unwraps keys");
    }
}
