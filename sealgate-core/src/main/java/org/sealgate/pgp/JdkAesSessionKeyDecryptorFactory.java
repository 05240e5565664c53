package org.sealgate.pgp;

import java.security.Provider;

import org.bouncycastle.bcpg.AEADEncDataPacket;
import org.bouncycastle.bcpg.SymmetricEncIntegrityPacket;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.operator.PGPDataDecryptor;
import org.bouncycastle.openpgp.operator.SessionKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcSessionKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.jcajce.JceSessionKeyDataDecryptorFactoryBuilder;

/**
 * Decrypts SEIPDv1 (AES-CFB with the MDC) on the JDK's AES, anything else on BC's. The MDC check is not ours:
 * BC's PGPEncryptedData reads the decrypted stream through the decryptor's SHA-1 calculator and compares the MDC
 * on close, whichever cipher produced the bytes. The unprotected legacy packet (SED, "without integrity") goes
 * to BC, only to be refused by the caller.
 */
final class JdkAesSessionKeyDecryptorFactory implements SessionKeyDataDecryptorFactory {
    private final PGPSessionKey sessionKey;
    private final SessionKeyDataDecryptorFactory bc;
    private final SessionKeyDataDecryptorFactory jdk;

    JdkAesSessionKeyDecryptorFactory(PGPSessionKey sessionKey, Provider bulkCipher) {
        this.sessionKey = sessionKey;
        this.bc = new BcSessionKeyDataDecryptorFactory(sessionKey);
        this.jdk = new JceSessionKeyDataDecryptorFactoryBuilder().setProvider(bulkCipher).build(sessionKey);
    }

    @Override
    public PGPSessionKey getSessionKey() {
        return sessionKey;
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(boolean withIntegrityPacket, int encAlgorithm, byte[] key) throws PGPException {
        return withIntegrityPacket && JdkAesOpenPGPImplementation.isAes(encAlgorithm)
            ? jdk.createDataDecryptor(true, encAlgorithm, key)
            : bc.createDataDecryptor(withIntegrityPacket, encAlgorithm, key);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(AEADEncDataPacket packet, PGPSessionKey key) throws PGPException {
        return bc.createDataDecryptor(packet, key);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(SymmetricEncIntegrityPacket packet, PGPSessionKey key) throws PGPException {
        return bc.createDataDecryptor(packet, key);
    }
}
