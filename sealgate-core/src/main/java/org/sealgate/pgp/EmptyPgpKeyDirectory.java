package org.sealgate.pgp;

import java.util.List;
import java.util.Optional;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;

/** {@link PgpKeyDirectory#NONE}: knows no key and cannot learn one. */
final class EmptyPgpKeyDirectory implements PgpKeyDirectory {

    @Override
    public boolean hasUsableEncryptionKey(String address) {
        return false;
    }

    @Override
    public List<PgpPublicKey> publicKeysFor(String address) {
        return List.of();
    }

    @Override
    public List<PgpPublicKey> publicKeys() {
        return List.of();
    }

    @Override
    public Optional<PgpManagedKey> managedKey(String address) {
        return Optional.empty();
    }

    @Override
    public List<PgpManagedKey> managedKeys() {
        return List.of();
    }

    @Override
    public PgpPublicKey addPublicKey(OpenPGPCertificate certificate, PgpPublicKey.Source source) {
        throw new UnsupportedOperationException("this gateway has no OpenPGP key directory");
    }

    @Override
    public PgpManagedKey addManagedKey(OpenPGPKey key, char[] passphrase) {
        throw new UnsupportedOperationException("this gateway has no OpenPGP key directory");
    }

    @Override
    public int remove(String address) {
        return 0;
    }
}
