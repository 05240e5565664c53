package org.sealgate.zk.keys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.KeyImports;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeys;
import org.sealgate.pgp.PgpKeys;

/**
 * Discovered keys as znodes of {@code /keys/discovered}: a small properties text (kind, address, source, found, the
 * key's bytes in Base64) named {@code <kind>-<fingerprint>}. A key is identified by kind and fingerprint, never by its
 * bytes, so a newer copy of the same key replaces the older one; for OpenPGP the copies are merged, so a revocation
 * signature once stored is never lost to a copy without it (an attacker replaying the older copy gains nothing).
 */
final class DiscoveredEntries {
    /** A discovered key is a certificate; anything this large is not one. */
    static final int MAX_ENTRY_BYTES = 256 * 1024;

    private DiscoveredEntries() {
    }

    static String name(DiscoveredKey key) {
        return DiscoveredKeys.identity(key);
    }

    static byte[] encode(DiscoveredKey key) {
        Properties properties = new Properties();
        properties.setProperty("kind", key.kind().name());
        properties.setProperty("address", Addresses.normalise(key.address()));
        properties.setProperty("source", key.source());
        properties.setProperty("found", key.foundAt().toString());
        properties.setProperty("key", Base64.getEncoder().encodeToString(key.encoded()));
        StringWriter text = new StringWriter();
        try {
            properties.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** For {@link KeyEntryCache}: the folder is known to be {@code /keys/discovered}. */
    static Object decodeEntry(String folder, String name, byte[] data) {
        return decode(name, data);
    }

    /** The entry's key, or null when it is not usable. */
    static DiscoveredKey decodeOrNull(String name, byte[] data) {
        try {
            return data == null ? null : decode(name, data);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The entry's key; refused when it is not what its name says (an entry cannot pose as another key). */
    static DiscoveredKey decode(String name, byte[] data) {
        if (data.length > MAX_ENTRY_BYTES) {
            throw new IllegalArgumentException("entry of " + data.length + " bytes is too large for a discovered key");
        }
        Properties properties = new Properties();
        try {
            properties.load(new InputStreamReader(new ByteArrayInputStream(data), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable entry: " + e.getMessage(), e);
        }
        DiscoveredKey.Kind kind = DiscoveredKey.Kind.valueOf(properties.getProperty("kind", ""));
        String address = Addresses.normalise(properties.getProperty("address", ""));
        String source = properties.getProperty("source", "");
        Instant found = Instant.parse(properties.getProperty("found", ""));
        byte[] bytes = Base64.getDecoder().decode(properties.getProperty("key", ""));
        DiscoveredKey key;
        if (kind == DiscoveredKey.Kind.SMIME) {
            var certificates = KeyImports.readCertificates(bytes);
            if (certificates.size() != 1) {
                throw new IllegalArgumentException("expected one certificate, found " + certificates.size());
            }
            key = DiscoveredKey.smime(address, source, found, certificates.get(0));
        } else {
            OpenPGPCertificate certificate = PgpKeys.read(bytes);
            if (certificate.isSecretKey()) {
                throw new IllegalArgumentException("a secret key is not a discovered key");
            }
            key = DiscoveredKey.openPgp(address, source, found, certificate);
        }
        if (!name(key).equals(name)) {
            throw new IllegalArgumentException("the name is not the key's kind and fingerprint");
        }
        return key;
    }
}
