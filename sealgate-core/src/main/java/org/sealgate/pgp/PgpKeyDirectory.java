package org.sealgate.pgp;

import java.util.List;
import java.util.Optional;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;

/**
 * OpenPGP keys by e-mail address: partners' public keys and managed users' secret keys. The policy engine asks
 * it whether OpenPGP can reach a recipient; the OpenPGP mailets use it to encrypt, sign, decrypt and verify.
 * Implementations are thread-safe and see changes made by other processes (the CLI writes while a node runs).
 * Nothing here assumes files: keys travel as OpenPGP packets, so a ZooKeeper implementation stores the same bytes.
 */
public interface PgpKeyDirectory {

    /** A directory without keys: OpenPGP reaches nobody; adding keys is refused. */
    PgpKeyDirectory NONE = new EmptyPgpKeyDirectory();

    /**
     * True when a key for the address (case-insensitive user ID match) has a usable encryption key or subkey:
     * not revoked, not expired, with the encrypt-communications usage flag.
     */
    boolean hasUsableEncryptionKey(String address);

    /** Partner public keys (imported or harvested) with a valid user ID naming the address. */
    List<PgpPublicKey> publicKeysFor(String address);

    /** Every partner public key, for listing. */
    List<PgpPublicKey> publicKeys();

    /** The managed user's secret key, if this gateway holds one whose user ID names the address. */
    Optional<PgpManagedKey> managedKey(String address);

    List<PgpManagedKey> managedKeys();

    /**
     * Stores a partner's public key. An imported key is trusted; a harvested one never replaces an imported one
     * with the same fingerprint, and is not stored at all when another key (imported, harvested or managed) already
     * names one of its addresses ({@link org.sealgate.keys.KeyHarvester#conflicts}): mail never replaces a key.
     *
     * @throws IllegalArgumentException when the key is a secret key or names no e-mail address
     */
    PgpPublicKey addPublicKey(OpenPGPCertificate certificate, PgpPublicKey.Source source);

    /**
     * Stores a managed user's secret key, re-protected with this directory's own passphrase (never in clear).
     *
     * @param passphrase the key's current passphrase, or null/empty when its secret material is unprotected
     * @throws IllegalArgumentException when the passphrase is wrong or the key names no e-mail address
     */
    PgpManagedKey addManagedKey(OpenPGPKey key, char[] passphrase);

    /** Removes every public and secret OpenPGP key naming the address; returns how many went. */
    int remove(String address);
}
