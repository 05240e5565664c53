package org.sealgate.zk.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyImports;
import org.sealgate.keys.ManagedIdentity;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A managed identity as stored in {@code /keys/private/<fingerprint>}: JSON with the certificate chain in clear
 * (public anyway) and the PKCS#8 private key sealed with {@link ClusterMasterKey} (AES-256-GCM). The associated
 * data binds the sealed key to its znode name and address, so a sealed key copied to another entry does not open.
 */
final class SealedIdentity {
    static final String FORMAT = "sealgate-sealed-key/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Stored(@JsonProperty("format") String format,
                  @JsonProperty("address") String address,
                  @JsonProperty("chain") List<String> chain,
                  @JsonProperty("cipher") String cipher,
                  @JsonProperty("master-key-id") String masterKeyId,
                  @JsonProperty("sealed-private-key") String sealedPrivateKey) {
    }

    private SealedIdentity() {
    }

    /** The znode name of an identity: its certificate's SHA-256 fingerprint. */
    static String nameOf(ManagedIdentity identity) {
        return Fingerprints.sha256(identity.certificate());
    }

    static byte[] seal(ManagedIdentity identity, ClusterMasterKey masterKey) {
        byte[] pkcs8 = identity.privateKey().getEncoded();
        try {
            List<String> chain = new ArrayList<>();
            for (X509Certificate certificate : identity.chain()) {
                chain.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
            }
            byte[] sealed = masterKey.seal(pkcs8, associatedData(nameOf(identity), identity.address()));
            return JSON.writeValueAsBytes(new Stored(FORMAT, identity.address(), chain, "AES-256-GCM",
                masterKey.keyId(), Base64.getEncoder().encodeToString(sealed)));
        } catch (CertificateEncodingException | IOException e) {
            throw new IllegalArgumentException("cannot encode the identity of " + identity.address(), e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /**
     * @param name the znode name the data was read from
     * @throws IllegalArgumentException for data that is not a sealed key, sealed under another master key, changed,
     *                                  or stored under a name that is not its certificate's fingerprint
     */
    static ManagedIdentity open(String name, byte[] data, ClusterMasterKey masterKey) {
        Stored stored;
        try {
            stored = JSON.readValue(data, Stored.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a sealed key: " + e.getMessage());
        }
        if (!FORMAT.equals(stored.format()) || stored.chain() == null || stored.chain().isEmpty()) {
            throw new IllegalArgumentException("not a sealed key of format " + FORMAT);
        }
        if (!masterKey.keyId().equals(stored.masterKeyId())) {
            throw new IllegalArgumentException("sealed under master key " + stored.masterKeyId() + ", this node has "
                + masterKey.keyId() + " (wrong cluster-master.key file?)");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (String der : stored.chain()) {
            chain.addAll(KeyImports.readCertificates(Base64.getDecoder().decode(der)));
        }
        if (!Fingerprints.sha256(chain.get(0)).equals(name)) {
            throw new IllegalArgumentException("stored under a name that is not its certificate's fingerprint");
        }
        byte[] pkcs8 = masterKey.open(Base64.getDecoder().decode(stored.sealedPrivateKey()),
            associatedData(name, stored.address()));
        try {
            PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(PrivateKeyInfo.getInstance(pkcs8));
            return new ManagedIdentity(stored.address(), key, chain);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the sealed private key is not PKCS#8: " + e.getMessage());
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static byte[] associatedData(String name, String address) {
        return ("sealgate/keys/private/" + name + "\n" + address).getBytes(StandardCharsets.UTF_8);
    }
}
