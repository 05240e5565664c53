package org.sealgate.zk.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A managed OpenPGP key as stored in {@code /keys/pgp/secret/<fingerprint>}: JSON with the public part in clear and
 * the secret key packets plus their own passphrase sealed together with {@link ClusterMasterKey} (AES-256-GCM, the
 * same sealing as {@link SealedIdentity}), bound to the znode name.
 */
final class SealedPgpKey {
    static final String FORMAT = "sealgate-sealed-pgp-key/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Stored(@JsonProperty("format") String format,
                  @JsonProperty("public-key") String publicKey,
                  @JsonProperty("cipher") String cipher,
                  @JsonProperty("master-key-id") String masterKeyId,
                  @JsonProperty("sealed-secret-key") String sealedSecretKey) {
    }

    private SealedPgpKey() {
    }

    static byte[] seal(String name, byte[] secretPackets, char[] passphrase, ClusterMasterKey masterKey) {
        byte[] secret = PgpEntries.utf8(passphrase);
        byte[] plain = ByteBuffer.allocate(4 + secretPackets.length + secret.length)
            .putInt(secretPackets.length).put(secretPackets).put(secret).array();
        try {
            OpenPGPCertificate key = PgpKeys.read(secretPackets);
            byte[] publicPart = PgpEntries.encoded(((OpenPGPKey) key).toCertificate());
            return JSON.writeValueAsBytes(new Stored(FORMAT, Base64.getEncoder().encodeToString(publicPart), "AES-256-GCM",
                masterKey.keyId(), Base64.getEncoder().encodeToString(masterKey.seal(plain, associatedData(name)))));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode the OpenPGP key " + name, e);
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(secret, (byte) 0);
        }
    }

    static OpenPGPCertificate publicPart(byte[] data) {
        return PgpKeys.read(Base64.getDecoder().decode(read(data).publicKey()));
    }

    /** @throws IllegalArgumentException for data that is not a sealed key, another master key's, changed, or moved */
    static PgpManagedKey open(String name, byte[] data, ClusterMasterKey masterKey) {
        Stored stored = read(data);
        if (!masterKey.keyId().equals(stored.masterKeyId())) {
            throw new IllegalArgumentException("sealed under master key " + stored.masterKeyId() + ", this node has "
                + masterKey.keyId() + " (wrong cluster-master.key file?)");
        }
        byte[] plain = masterKey.open(Base64.getDecoder().decode(stored.sealedSecretKey()), associatedData(name));
        try {
            ByteBuffer buffer = ByteBuffer.wrap(plain);
            byte[] packets = new byte[buffer.getInt()];
            buffer.get(packets);
            byte[] secret = new byte[buffer.remaining()];
            buffer.get(secret);
            char[] passphrase = new String(secret, StandardCharsets.UTF_8).toCharArray();
            Arrays.fill(secret, (byte) 0);
            if (!(PgpKeys.read(packets) instanceof OpenPGPKey key) || !PgpKeys.fingerprint(key).equals(name)) {
                throw new IllegalArgumentException("not a secret key with fingerprint " + name);
            }
            String address = PgpKeys.addresses(key).stream().findFirst().orElse("?");
            return new PgpManagedKey(address, key, component -> passphrase.clone());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static Stored read(byte[] data) {
        try {
            Stored stored = JSON.readValue(data, Stored.class);
            if (!FORMAT.equals(stored.format())) {
                throw new IllegalArgumentException("not a sealed OpenPGP key of format " + FORMAT);
            }
            return stored;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a sealed OpenPGP key: " + e.getMessage());
        }
    }

    private static byte[] associatedData(String name) {
        return ("sealgate/keys/pgp/secret/" + name).getBytes(StandardCharsets.UTF_8);
    }
}
