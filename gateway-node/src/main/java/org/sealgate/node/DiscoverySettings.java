package org.sealgate.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.sealgate.keys.KeyImports;
import org.sealgate.routes.discovery.DiscoveryCache;
import org.sealgate.routes.discovery.HkpSource;
import org.sealgate.routes.discovery.KeySource;
import org.sealgate.routes.discovery.LdapSettings;
import org.sealgate.keys.discovery.AgingDiscoveredKeyStore;
import org.sealgate.keys.discovery.DiscoveredKeyStore;
import org.sealgate.routes.discovery.LdapSource;
import org.sealgate.routes.discovery.WkdSource;

/**
 * Where the node looks for recipients' keys and how long it may wait, from {@code sealgate.properties}
 * ({@code discovery.*}, all optional). Which sources a recipient's domain asks, in which order, is the policy's
 * {@code key-discovery} setting (cluster document or policy file); these are the sources it can name.
 *
 * @param bound         longest one mail may wait for discovery, all its recipients and sources together
 *                      ({@code discovery.bound-ms}, 5000)
 * @param wkdTimeout    WKD, both methods ({@code discovery.wkd.timeout-ms}, 2000)
 * @param hkpServers    key servers for {@code hkp}, tried in order ({@code discovery.hkp.servers}: {@code https://...}
 *                      for HKP, {@code vks:https://...} for VKS; {@code http://} only with
 *                      {@code discovery.hkp.allow-plain-http=true})
 * @param hkpTimeout    all key servers together ({@code discovery.hkp.timeout-ms}, 2000)
 * @param ldap          the {@code ldap} source: {@code discovery.ldap.servers} (host:port, fail-over order),
 *                      {@code .security} (ldaps, starttls, plain; ldaps), {@code .base}, {@code .filter}
 *                      ({@code (mail={0})}), {@code .timeout-ms} (2000)
 * @param trust         {@code discovery.tls.trust}: a PEM file with the only CAs key sources' TLS certificates may
 *                      chain to; unset: the JDK's CAs
 * @param positiveTtl   how long a found key is reused without asking ({@code discovery.cache.positive-minutes}, 1440)
 * @param negativeTtl   how long "nothing found" is ({@code discovery.cache.negative-minutes}, 60); also how long
 *                      a stored key past its positive TTL is used after its sources gave no answer, before asking again
 * @param maxAge        a stored discovered key whose sources stop answering is used until it is this old, then never
 *                      (the job leader deletes it) ({@code discovery.cache.max-age-days}, 30)
 */
record DiscoverySettings(Duration bound, Duration wkdTimeout, List<HkpSource.Server> hkpServers, Duration hkpTimeout,
                         Optional<LdapConfig> ldap, Optional<Path> trust, Duration positiveTtl, Duration negativeTtl,
                         Duration maxAge) {

    static final int CACHE_ENTRIES = 10_000;

    /** The LDAP source's settings before its TLS context exists. */
    record LdapConfig(List<String> servers, LdapSettings.Security security, String base, String filter,
                      Duration timeout) {
    }

    static DiscoverySettings load(Path data) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(data.resolve(NodeSettings.FILE_NAME), StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        try {
            boolean plainHttp = Boolean.parseBoolean(p.getProperty("discovery.hkp.allow-plain-http", "false").trim());
            List<HkpSource.Server> hkp = list(p.getProperty("discovery.hkp.servers", "")).stream()
                .map(server -> HkpSource.Server.parse(server, plainHttp)).toList();
            List<String> ldapServers = list(p.getProperty("discovery.ldap.servers", ""));
            Optional<LdapConfig> ldap = Optional.empty();
            if (!ldapServers.isEmpty()) {
                String security = p.getProperty("discovery.ldap.security", "ldaps").trim().toUpperCase(Locale.ROOT);
                ldap = Optional.of(new LdapConfig(ldapServers, LdapSettings.Security.valueOf(security),
                    p.getProperty("discovery.ldap.base", "").trim(),
                    p.getProperty("discovery.ldap.filter", "(mail={0})").trim(),
                    millis(p, "discovery.ldap.timeout-ms", 2000)));
            }
            String trust = p.getProperty("discovery.tls.trust", "").trim();
            return new DiscoverySettings(millis(p, "discovery.bound-ms", 5000), millis(p, "discovery.wkd.timeout-ms", 2000),
                hkp, millis(p, "discovery.hkp.timeout-ms", 2000), ldap,
                trust.isEmpty() ? Optional.empty() : Optional.of(data.resolve(trust)),
                Duration.ofMinutes(number(p, "discovery.cache.positive-minutes", 1440)),
                Duration.ofMinutes(number(p, "discovery.cache.negative-minutes", 60)),
                maxAge(p));
        } catch (IllegalArgumentException e) {
            throw new IOException(data.resolve(NodeSettings.FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** Every source the node can ask (the policy picks among them per domain). */
    List<KeySource> sources() throws IOException {
        SSLContext tls = tlsContext();
        List<KeySource> sources = new ArrayList<>();
        sources.add(WkdSource.create(tls, wkdTimeout));
        if (!hkpServers.isEmpty()) {
            sources.add(new HkpSource(hkpServers, tls, hkpTimeout));
        }
        ldap.ifPresent(config -> sources.add(new LdapSource(new LdapSettings(config.servers(), config.security(),
            config.security() == LdapSettings.Security.PLAIN ? null : tls, config.base(), config.filter(),
            config.timeout()))));
        return sources;
    }

    DiscoveryCache cache(Clock clock) {
        return new DiscoveryCache(positiveTtl, negativeTtl, CACHE_ENTRIES, clock);
    }

    /** The stored discovered keys as the selection sees them: past the positive TTL only after asking again. */
    AgingDiscoveredKeyStore aging(DiscoveredKeyStore stored, Clock clock) {
        return new AgingDiscoveredKeyStore(stored, positiveTtl, maxAge, negativeTtl, clock);
    }

    private static Duration maxAge(Properties p) {
        Duration maxAge = Duration.ofDays(number(p, "discovery.cache.max-age-days", 30));
        Duration positive = Duration.ofMinutes(number(p, "discovery.cache.positive-minutes", 1440));
        if (maxAge.compareTo(positive) < 0) {
            throw new IllegalArgumentException("discovery.cache.max-age-days must not be shorter than"
                + " discovery.cache.positive-minutes");
        }
        return maxAge;
    }

    private SSLContext tlsContext() throws IOException {
        try {
            if (trust.isEmpty()) {
                return SSLContext.getDefault();
            }
            List<X509Certificate> anchors;
            try (InputStream in = Files.newInputStream(trust.get())) {
                anchors = KeyImports.readCertificates(in.readAllBytes());
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new IOException("discovery.tls.trust: cannot use " + trust.orElse(null) + ": " + e, e);
        }
    }

    private static Duration millis(Properties p, String key, int fallback) {
        int value = number(p, key, fallback);
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1");
        }
        return Duration.ofMillis(value);
    }

    private static int number(Properties p, String key, int fallback) {
        String value = p.getProperty(key, Integer.toString(fallback)).trim();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + value + "'");
        }
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
