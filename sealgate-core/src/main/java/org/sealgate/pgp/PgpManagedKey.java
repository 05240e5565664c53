package org.sealgate.pgp;

import java.util.List;
import java.util.Objects;

import org.bouncycastle.openpgp.api.KeyPassphraseProvider;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;

/**
 * A managed user's OpenPGP secret key as the directory holds it: secret material still protected, plus what
 * unlocks it for the moment of signing or decrypting. {@link #toString()} shows no secret.
 *
 * @param address    the managed address the key was found by
 * @param key        the secret key, locked
 * @param passphrase unlocks the key's components; kept by the directory, never written in clear
 */
public record PgpManagedKey(String address, OpenPGPKey key, KeyPassphraseProvider passphrase) {

    public PgpManagedKey {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(passphrase, "passphrase");
    }

    /**
     * The public part, as given to partners ({@code keys export-pgp}). Made once per key object: Bouncy Castle's
     * {@code toCertificate} checks every self-signature again, which was 13 % of decrypting a 1 MB mail (JFR).
     */
    public OpenPGPCertificate certificate() {
        return PgpKeys.certificateOf(key);
    }

    public String fingerprint() {
        return PgpKeys.fingerprint(key);
    }

    public List<String> addresses() {
        return PgpKeys.addresses(key);
    }

    @Override
    public String toString() {
        return "PgpManagedKey[" + address + " " + fingerprint() + "]";
    }
}
