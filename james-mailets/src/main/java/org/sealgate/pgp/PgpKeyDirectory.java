package org.sealgate.pgp;

/**
 * OpenPGP keys by e-mail address: partners' public keys and managed users' secret keys. The policy engine asks
 * it whether OpenPGP can reach a recipient; the OpenPGP mailets use it to encrypt, sign, decrypt and verify.
 */
public interface PgpKeyDirectory {

    /** A directory without keys: OpenPGP reaches nobody. */
    PgpKeyDirectory NONE = address -> false;

    /**
     * True when a key for the address (case-insensitive user ID match) has a usable encryption key or subkey:
     * not revoked, not expired, with the encrypt-communications usage flag.
     */
    boolean hasUsableEncryptionKey(String address);
}
