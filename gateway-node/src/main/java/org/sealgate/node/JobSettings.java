package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.sealgate.routes.jobs.CrlRefreshJob;
import org.sealgate.routes.jobs.DiscoveryEvictionJob;
import org.sealgate.routes.jobs.ExpiryWarningJob;

/**
 * How often the cluster's scheduled jobs run on the leading node ({@code jobs.*} in {@code sealgate.properties}).
 * Per node because the timers are per node; give every node the same values.
 */
record JobSettings(Duration expiryWarnings, Duration discoveryEviction, Duration crlRefresh) {
    static final String EXPIRY = "jobs.expiry-warnings.period-seconds";
    static final String EVICTION = "jobs.discovery-eviction.period-seconds";
    static final String CRL = "jobs.crl-refresh.period-seconds";

    static JobSettings load(Path data) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        try {
            return new JobSettings(seconds(p, EXPIRY, ExpiryWarningJob.DEFAULT_PERIOD),
                seconds(p, EVICTION, DiscoveryEvictionJob.DEFAULT_PERIOD), seconds(p, CRL, CrlRefreshJob.DEFAULT_PERIOD));
        } catch (IllegalArgumentException e) {
            throw new IOException(data.resolve(NodeSettings.FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    private static Duration seconds(Properties p, String key, Duration fallback) {
        String value = p.getProperty(key);
        if (value == null) {
            return fallback;
        }
        long seconds = Long.parseLong(value.strip());
        if (seconds < 1 || seconds > 7 * 24 * 3600) {
            throw new IllegalArgumentException(key + ": between 1 and 604800 seconds, got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}
