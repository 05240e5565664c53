package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.sealgate.revocation.RevocationSettings;

/**
 * The bounds of live revocation checking from {@code sealgate.properties}; every key optional:
 * {@code revocation.timeout-ms} (5000: one CRL or OCSP fetch), {@code revocation.max-crl-kb} (10240),
 * {@code revocation.failure-backoff-seconds} (60: a failed URI is not asked again for this long). The rest of
 * {@link RevocationSettings#defaults()} is fixed.
 */
final class RevocationNodeSettings {
    private RevocationNodeSettings() {
    }

    static RevocationSettings load(Path data) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        RevocationSettings d = RevocationSettings.defaults();
        try {
            return new RevocationSettings(Duration.ofMillis(positive(p, "revocation.timeout-ms", d.timeout().toMillis())),
                (int) Math.min(Integer.MAX_VALUE / 1024, positive(p, "revocation.max-crl-kb", d.maxCrlBytes() / 1024)) * 1024,
                d.maxOcspBytes(),
                Duration.ofSeconds(positive(p, "revocation.failure-backoff-seconds", d.failureBackoff().toSeconds())),
                d.crlMaxAge(), d.ocspMaxAge(), d.clockSkew());
        } catch (IllegalArgumentException e) {
            throw new IOException(data.resolve(NodeSettings.FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    private static long positive(Properties p, String key, long fallback) {
        String value = p.getProperty(key, Long.toString(fallback)).strip();
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + value + "'");
        }
        if (number < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + number);
        }
        return number;
    }
}
