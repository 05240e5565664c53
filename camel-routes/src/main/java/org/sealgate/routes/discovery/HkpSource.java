package org.sealgate.routes.discovery;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveryCandidate;

/**
 * OpenPGP key servers: HKP ({@code /pks/lookup?op=get&options=mr&search=ADDR}) and VKS
 * ({@code /vks/v1/by-email/ADDR}, keys.openpgp.org), a list tried in order until one has a key; all of them
 * together within the source's timeout. HTTPS (TLS 1.2+, host name checked) unless plain HTTP was explicitly
 * allowed: over HTTP an observer sees whom the gateway writes to and can suppress or replace answers. A key server
 * vouches for nothing either way (anyone may upload a key naming any address to an HKP server), so every answer is
 * only a candidate: the user ID must name the recipient and the key must be usable. No redirects; answers capped.
 */
public final class HkpSource implements KeySource {
    public static final String NAME = "hkp";

    /** One key server and the protocol it speaks. */
    public record Server(URI base, boolean vks) {

        /** {@code https://host[:port]} (HKP) or {@code vks:https://host} (VKS); {@code http://} only if allowed. */
        public static Server parse(String text, boolean allowPlainHttp) {
            String value = text.trim();
            boolean vks = value.toLowerCase(Locale.ROOT).startsWith("vks:");
            URI uri = URI.create(vks ? value.substring(4) : value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !(scheme.equals("http") && allowPlainHttp)) {
                throw new IllegalArgumentException("key server must be an https:// URL"
                    + (scheme.equals("http") ? " (plain http:// needs discovery.hkp.allow-plain-http=true)" : "")
                    + ", got " + text);
            }
            if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("key server must be scheme://host[:port][/path], got " + text);
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            return new Server(URI.create(scheme + "://" + uri.getRawAuthority() + path), vks);
        }

        URI lookup(String address) {
            String encoded = URLEncoder.encode(address, StandardCharsets.UTF_8);
            return URI.create(base + (vks ? "/vks/v1/by-email/" + encoded
                : "/pks/lookup?op=get&options=mr&search=" + encoded));
        }

        @Override
        public String toString() {
            return (vks ? "vks:" : "") + base;
        }
    }

    private final List<Server> servers;
    private final KeyFetcher fetcher;
    private final Duration timeout;

    public HkpSource(List<Server> servers, SSLContext sslContext, Duration timeout) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("the hkp key source needs at least one server");
        }
        this.servers = List.copyOf(servers);
        this.fetcher = new KeyFetcher(sslContext, timeout);
        this.timeout = timeout;
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
        Instant deadline = Instant.now().plus(timeout);
        List<String> failures = new ArrayList<>();
        boolean answered = false;
        boolean timedOut = false;
        for (Server server : servers) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                failures.add(server + ": not asked, timeout used up");
                timedOut = true;
                break;
            }
            try {
                byte[] key = fetcher.get(server.lookup(address), left, "");
                answered = true;
                if (key != null) {
                    return List.of(new DiscoveryCandidate(DiscoveredKey.Kind.OPENPGP, NAME + " " + server, key));
                }
            } catch (IOException e) {
                timedOut |= e instanceof java.net.http.HttpTimeoutException;
                failures.add(server + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        if (!answered) {
            // Out of time is reported as the route giving up would (whichever notices the deadline first).
            throw timedOut ? new SourceTimeoutException(String.join("; ", failures))
                : new IOException(String.join("; ", failures));
        }
        return List.of();
    }
}
