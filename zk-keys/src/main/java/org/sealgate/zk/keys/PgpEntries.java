package org.sealgate.zk.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sealgate.pgp.PgpKeys;

/**
 * OpenPGP public keys as znodes: binary packets, named by the key's fingerprint (hex). A reader checks the name, so
 * an entry cannot pose as another one; secret keys are {@link SealedPgpKey}s. The twin of {@link KeyEntries}.
 */
final class PgpEntries {

    private PgpEntries() {
    }

    /** A partner's public key stored under its fingerprint. */
    static OpenPGPCertificate publicKeyNamed(String name, byte[] data) {
        OpenPGPCertificate certificate = PgpKeys.read(data);
        if (certificate.isSecretKey() || !PgpKeys.fingerprint(certificate).equals(name)) {
            throw new IllegalArgumentException("not a public key with fingerprint " + name);
        }
        return certificate;
    }

    static byte[] encoded(OpenPGPCertificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode the OpenPGP key " + PgpKeys.fingerprint(certificate), e);
        }
    }

    static byte[] utf8(char[] chars) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] bytes = Arrays.copyOf(buffer.array(), buffer.limit());
        Arrays.fill(buffer.array(), (byte) 0);
        return bytes;
    }
}
