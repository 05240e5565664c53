package org.sealgate.pgp;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.api.OpenPGPCertificate.OpenPGPComponentKey;
import org.bouncycastle.openpgp.api.OpenPGPKey;

/**
 * Recovers a message's session key with a managed key whose decryption subkey is unlocked once per key object.
 * Bouncy Castle's message processor unlocks the subkey for every message: the passphrase's S2K and the key
 * extraction were a tenth of decrypting a 1 MB mail (JFR) and more of a 100 KB one. The unlocked key is held
 * only as long as the key directory holds that key object (weak keys, by identity), where the passphrase that
 * unlocks it is held anyway; a rotated or re-protected key is a new object and is unlocked afresh.
 */
public final class SessionKeys {
    private static final Map<OpenPGPKey, Map<KeyIdentifier, PGPPrivateKey>> UNLOCKED =
        Collections.synchronizedMap(new WeakHashMap<>());

    private SessionKeys() {
    }

    /**
     * The session key from the first of these session-key packets that one of the key's current encryption
     * subkeys opens (the same choice Bouncy Castle's processor makes); empty when none does, or unlocking fails,
     * and the caller leaves the work to Bouncy Castle as before (which then reports why).
     */
    public static Optional<PGPSessionKey> recover(List<PGPPublicKeyEncryptedData> packets, PgpManagedKey key) {
        List<OpenPGPComponentKey> encryptionKeys = key.key().getEncryptionKeys();
        for (PGPPublicKeyEncryptedData packet : packets) {
            for (OpenPGPComponentKey component : encryptionKeys) {
                KeyIdentifier recipient = packet.getKeyIdentifier();
                if (!recipient.isWildcard() && !recipient.matches(component.getKeyIdentifier())) {
                    continue;
                }
                try {
                    PGPPrivateKey unlocked = unlocked(key, component);
                    return Optional.of(packet.getSessionKey(
                        PgpKeys.api().getImplementation().publicKeyDataDecryptorFactory(unlocked)));
                } catch (PGPException | RuntimeException e) {
                    // A wildcard packet for someone else, or a key that does not unlock: try the next one.
                }
            }
        }
        return Optional.empty();
    }

    private static PGPPrivateKey unlocked(PgpManagedKey key, OpenPGPComponentKey component) throws PGPException {
        Map<KeyIdentifier, PGPPrivateKey> ofKey = UNLOCKED.computeIfAbsent(key.key(), k -> new ConcurrentHashMap<>());
        PGPPrivateKey known = ofKey.get(component.getKeyIdentifier());
        if (known != null) {
            return known;
        }
        OpenPGPKey.OpenPGPSecretKey secret = key.key().getSecretKey(component);
        if (secret == null) {
            throw new PGPException("no secret part for " + component.getKeyIdentifier());
        }
        OpenPGPKey.OpenPGPPrivateKey privateKey = secret.unlock(key.passphrase());
        PGPPrivateKey unlocked = privateKey.getKeyPair().getPrivateKey();
        ofKey.put(component.getKeyIdentifier(), unlocked);
        return unlocked;
    }
}
