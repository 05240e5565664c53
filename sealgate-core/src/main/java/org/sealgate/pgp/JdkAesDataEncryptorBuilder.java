package org.sealgate.pgp;

import java.security.Provider;
import java.security.SecureRandom;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.operator.PGPDataEncryptor;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;

/**
 * Builds the data encryptor on the JDK's AES for SEIPDv1 (integrity packet, no AEAD), on BC's for everything
 * else. BC's message generator configures the builder (integrity, AEAD) before building, so the choice can only
 * be made in {@link #build}: every setting goes to both builders, which share one SecureRandom.
 */
final class JdkAesDataEncryptorBuilder implements PGPDataEncryptorBuilder {
    private final int algorithm;
    private final BcPGPDataEncryptorBuilder bc;
    private final JcePGPDataEncryptorBuilder jdk;
    private boolean integrity;
    private boolean aead;

    JdkAesDataEncryptorBuilder(int algorithm, Provider bulkCipher) {
        SecureRandom random = new SecureRandom();
        this.algorithm = algorithm;
        this.bc = new BcPGPDataEncryptorBuilder(algorithm).setSecureRandom(random);
        this.jdk = new JcePGPDataEncryptorBuilder(algorithm).setProvider(bulkCipher).setSecureRandom(random);
    }

    /** Whether {@link #build(byte[])} would use the JDK's AES with the settings made so far. */
    boolean onJdk() {
        return integrity && !aead && JdkAesOpenPGPImplementation.isAes(algorithm);
    }

    @Override
    public PGPDataEncryptor build(byte[] keyBytes) throws PGPException {
        return onJdk() ? jdk.build(keyBytes) : bc.build(keyBytes);
    }

    @Override
    public PGPDataEncryptor build(byte[] keyBytes, byte[] iv) throws PGPException {
        // Only AEAD (v5/OED style) takes an IV: BC.
        return bc.build(keyBytes, iv);
    }

    @Override
    public PGPDataEncryptorBuilder setWithIntegrityPacket(boolean withIntegrityPacket) {
        integrity = withIntegrityPacket;
        bc.setWithIntegrityPacket(withIntegrityPacket);
        jdk.setWithIntegrityPacket(withIntegrityPacket);
        return this;
    }

    @Override
    public PGPDataEncryptorBuilder setWithAEAD(int aeadAlgorithm, int chunkSize) {
        aead = true;
        bc.setWithAEAD(aeadAlgorithm, chunkSize);
        jdk.setWithAEAD(aeadAlgorithm, chunkSize);
        return this;
    }

    @Override
    public PGPDataEncryptorBuilder setUseV5AEAD() {
        bc.setUseV5AEAD();
        jdk.setUseV5AEAD();
        return this;
    }

    @Override
    public PGPDataEncryptorBuilder setUseV6AEAD() {
        bc.setUseV6AEAD();
        jdk.setUseV6AEAD();
        return this;
    }

    @Override
    public int getAlgorithm() {
        return algorithm;
    }

    @Override
    public int getAeadAlgorithm() {
        return bc.getAeadAlgorithm();
    }

    @Override
    public int getChunkSize() {
        return bc.getChunkSize();
    }

    @Override
    public boolean isV5StyleAEAD() {
        return bc.isV5StyleAEAD();
    }

    @Override
    public SecureRandom getSecureRandom() {
        return bc.getSecureRandom();
    }
}
