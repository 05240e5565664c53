package org.sealgate.routes.discovery;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveryCandidate;

/**
 * OpenPGP Web Key Directory (draft-koch-openpgp-webkey-service): the advanced method
 * ({@code https://openpgpkey.DOMAIN/.well-known/openpgpkey/DOMAIN/hu/HASH?l=LOCAL}) first, the direct method
 * ({@code https://DOMAIN/.well-known/openpgpkey/hu/HASH?l=LOCAL}) when the advanced one has nothing or fails.
 * HTTPS only (TLS 1.2+, host name checked by the JDK), no redirects (a redirect could lead to plain HTTP or
 * another host), answers capped in size.
 */
public final class WkdSource implements KeySource {
    public static final String NAME = "wkd";
    private static final Pattern HOST_NAME =
        Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

    private final KeyFetcher fetcher;
    private final Duration timeout;
    private final UnaryOperator<String> authority;

    private WkdSource(SSLContext sslContext, Duration timeout, UnaryOperator<String> authority) {
        this.fetcher = new KeyFetcher(sslContext, timeout);
        this.timeout = timeout;
        this.authority = authority;
    }

    /** WKD on the real host names, trusting the JDK's (or the given context's) CAs. */
    public static WkdSource create(SSLContext sslContext, Duration timeout) {
        return new WkdSource(sslContext, timeout, UnaryOperator.identity());
    }

    /**
     * As {@link #create}, connecting to {@code authority.apply(hostName)} (host[:port]) instead of the host name:
     * for tests whose WKD server listens on loopback. The certificate is then checked against that authority.
     */
    static WkdSource withAuthority(SSLContext sslContext, Duration timeout, UnaryOperator<String> authority) {
        return new WkdSource(sslContext, timeout, authority);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public List<DiscoveryCandidate> fetch(String recipient) throws IOException {
        String address = Addresses.normalise(recipient);
        int at = address.lastIndexOf('@');
        // The one address rule lower-cases the local part too; WKD hashes it lower-cased anyway.
        String local = at > 0 ? address.substring(0, at) : "";
        String domain = address.substring(at + 1);
        if (local.isEmpty() || !HOST_NAME.matcher(domain).matches()) {
            // The domain becomes a host name in a URI: nothing else may get there.
            throw new IOException("not an address WKD can look up: " + address);
        }
        String hash = WkdHash.of(local);
        String query = "?l=" + URLEncoder.encode(local, StandardCharsets.UTF_8);
        URI advanced = URI.create("https://" + authority.apply("openpgpkey." + domain)
            + "/.well-known/openpgpkey/" + domain + "/hu/" + hash + query);
        URI direct = URI.create("https://" + authority.apply(domain) + "/.well-known/openpgpkey/hu/" + hash + query);
        // Both methods together stay within the source's timeout, so the route's thread is free by then.
        Instant deadline = Instant.now().plus(timeout);
        byte[] key;
        URI from = advanced;
        try {
            key = fetcher.get(advanced, timeout, advanced.getHost() + " ");
        } catch (IOException e) {
            key = null;
        }
        if (key == null) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new SourceTimeoutException("timeout used up by the advanced method");
            }
            from = direct;
            key = fetcher.get(direct, left, direct.getHost() + " ");
        }
        // The source names where the key came from (keys list, audit): scheme and host, never the query.
        return key == null ? List.of() : List.of(new DiscoveryCandidate(DiscoveredKey.Kind.OPENPGP,
            NAME + " https://" + from.getRawAuthority(), key));
    }
}
